// OpenSSH-style escape sequences on the typed input: pure, fed bytes, returns actions.
import { replyLength } from './replies.js';

/** What a chunk of typed input turns into, in order. */
export type EscapeAction =
  | { type: 'send'; bytes: Buffer }
  | { type: 'disconnect' }
  | { type: 'help'; text: string }
  | { type: 'reconnect' }
  | { type: 'show-diagnosis' }
  | { type: 'toggle-bar' }
  | { type: 'suspend' }
  | { type: 'unsupported'; key: string; message: string };

/** Keys OpenSSH knows that tether does not implement: said once, nothing sent. */
const UNSUPPORTED: ReadonlyMap<number, string> = new Map([
  [0x23, '#'],
  [0x26, '&'],
  [0x43, 'C'],
  [0x42, 'B'],
  [0x52, 'R'],
  [0x56, 'V'],
  [0x76, 'v'],
]);

/** The escape character as OpenSSH's `-e` / EscapeChar takes it: `none`, `^X`, or one character. */
export function parseEscapeChar(spec: string): number | null {
  if (spec === 'none') return null;
  if (spec.length === 2 && spec[0] === '^') return spec.charCodeAt(1) & 0x1f;
  if (spec.length === 1 && spec.charCodeAt(0) < 0x80) return spec.charCodeAt(0);
  throw new RangeError(`escape character: expected 'none', '^X' or one ASCII character, got ${JSON.stringify(spec)}`);
}

/** How a key is shown in the help text (`~`, `^]`). */
function show(ch: number): string {
  return ch < 0x20 ? `^${String.fromCharCode(ch + 0x40)}` : String.fromCharCode(ch);
}

/** The `~?` text, OpenSSH's layout, with tether's own keys; lines end in CRLF for a raw tty. */
export function escapeHelp(escapeChar: number): string {
  const e = show(escapeChar);
  const rows: [string, string][] = [
    ['.', 'terminate connection'],
    ['r', 'reconnect now (tether)'],
    ['s', 'show the last diagnosis (tether)'],
    ['b', 'toggle the status bar (tether)'],
    ['^Z', 'suspend tether'],
    ['?', 'this message'],
    [e, 'send the escape character by typing it twice'],
  ];
  return [
    'Supported escape sequences:',
    ...rows.map(([k, what]) => ` ${(e + k).padEnd(4)} - ${what}`),
    '(Note that escapes are only recognized immediately after newline.)',
  ].join('\r\n');
}

/** Parser state across chunks; one per session, as OpenSSH keeps one per channel. */
export class EscapeParser {
  /** True right after CR/LF and at session start: only then is the escape char special. */
  private atLineStart = true;
  /** True after the escape char was seen at a line start, waiting for the command key. */
  private pending = false;

  /** @param escapeChar the byte that starts an escape, or null for none (`-e none`). */
  constructor(private readonly escapeChar: number | null) {}

  /** Whether an escape char is waiting for its command key (the UI may show a hint). */
  get escapePending(): boolean {
    return this.pending;
  }

  /** Treats the next key as typed at a line start (the outage panel offers `~.` at once). */
  resetLineStart(): void {
    this.atLineStart = true;
    this.pending = false;
  }

  /** Splits typed bytes into bytes to send and local actions, exactly as OpenSSH's process_escapes. */
  feed(input: Buffer): EscapeAction[] {
    const esc = this.escapeChar;
    if (esc === null) return input.length > 0 ? [{ type: 'send', bytes: input }] : [];
    const actions: EscapeAction[] = [];
    let out: number[] = [];
    const flush = (): void => {
      if (out.length > 0) actions.push({ type: 'send', bytes: Buffer.from(out) });
      out = [];
    };
    const local = (a: EscapeAction): void => {
      flush();
      actions.push(a);
    };
    for (let i = 0; i < input.length; i++) {
      const ch = input[i] ?? 0;
      const reply = replyLength(input, i);
      if (reply > 0) {
        // the terminal answering a query is not typing: the line start, and a pending escape, stay as they were
        for (const b of input.subarray(i, i + reply)) out.push(b);
        i += reply - 1;
        continue;
      }
      if (this.pending) {
        this.pending = false;
        const unsupported = UNSUPPORTED.get(ch);
        if (ch === 0x2e) {
          local({ type: 'disconnect' });
          return actions; // OpenSSH stops reading here; the rest is never sent
        } else if (ch === 0x3f) {
          local({ type: 'help', text: escapeHelp(esc) });
          continue;
        } else if (ch === 0x72) {
          local({ type: 'reconnect' });
          continue;
        } else if (ch === 0x73) {
          local({ type: 'show-diagnosis' });
          continue;
        } else if (ch === 0x62) {
          local({ type: 'toggle-bar' });
          continue;
        } else if (ch === 0x1a) {
          local({ type: 'suspend' });
          continue;
        } else if (unsupported !== undefined) {
          const key = show(esc) + unsupported;
          local({ type: 'unsupported', key, message: `${key} is not supported by tether` });
          continue;
        } else if (ch !== esc) {
          out.push(esc); // `~x`: both characters go through
        }
      } else if (this.atLineStart && ch === esc) {
        this.pending = true;
        continue;
      }
      this.atLineStart = ch === 0x0d || ch === 0x0a;
      out.push(ch);
    }
    flush();
    return actions;
  }
}
