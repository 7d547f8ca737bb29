// tmux control mode (`tmux -C`) as a parser fed bytes: reply blocks and notifications out, no I/O (as iTerm2's
// TmuxGateway): the owner matches replies to the commands it sent and decides what to draw.

/** One thing tmux said. */
export type ControlEvent =
  /** The end of a `%begin … %end/%error` block; `fromClient` = a command we wrote (flags bit 0). */
  | { type: 'reply'; number: number; fromClient: boolean; ok: boolean; lines: string[] }
  /** `%output %PANE data`: the pane's bytes, octal escapes decoded. */
  | { type: 'output'; pane: string; data: Buffer }
  /** `%exit [reason]`: the control client is leaving (session gone, detached, server exit). */
  | { type: 'exit'; reason: string }
  /** `%subscription-changed NAME … : VALUE` (refresh-client -B, tmux >= 3.2). */
  | { type: 'subscription'; name: string; value: string }
  /** `%pause %PANE` / `%continue %PANE` (flow control, tmux >= 3.2). */
  | { type: 'pause' | 'continue'; pane: string }
  /** Any other notification, kept by name (the manual says unknown ones must be ignored). */
  | { type: 'notification'; name: string; args: string }
  /** A line longer than the bound: dropped (a hostile or broken server), said once per line. */
  | { type: 'overflow'; bytes: number };

/** The longest line kept (tmux writes %output in small blocks; replies are short). */
export const MAX_LINE_BYTES = 4 << 20;

const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

/** Decodes %output's escaping: `\ooo` for bytes below space and for backslash; every other byte as is. */
export function decodeOutput(text: Buffer): Buffer {
  if (!text.includes(BACKSLASH)) return text;
  const out = Buffer.allocUnsafe(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const b = text[i] as number;
    if (b === BACKSLASH && i + 3 < text.length + 0 && isOctal(text[i + 1]) && isOctal(text[i + 2]) && isOctal(text[i + 3])) {
      out[n++] = (((text[i + 1] as number) - 48) * 64 + ((text[i + 2] as number) - 48) * 8 + ((text[i + 3] as number) - 48)) & 0xff;
      i += 3;
    } else out[n++] = b;
  }
  return out.subarray(0, n);
}

function isOctal(b: number | undefined): boolean {
  return b !== undefined && b >= 48 && b <= 55;
}

/** The open reply block, if any. */
interface Block {
  number: number;
  fromClient: boolean;
  lines: string[];
  /** Bytes kept in `lines` (bounded: a block that never ends must not grow without limit). */
  bytes: number;
}

/** Splits a control-mode byte stream into events; feed() may be given any split of the stream. */
export class ControlParser {
  /** Bytes of the line not yet ended. */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** Dropping the rest of an over-long line. */
  private skipping = false;
  private block: Block | null = null;

  /** Feeds bytes; returns the events of every line they complete. */
  feed(data: Buffer): ControlEvent[] {
    const events: ControlEvent[] = [];
    let start = 0;
    while (start < data.length) {
      const nl = data.indexOf(NEWLINE, start);
      const end = nl === -1 ? data.length : nl;
      this.take(data.subarray(start, end), events);
      if (nl === -1) break;
      if (this.skipping) this.skipping = false;
      else this.line(this.joinPartial(), events);
      start = nl + 1;
    }
    return events;
  }

  private take(piece: Buffer, events: ControlEvent[]): void {
    if (this.skipping || piece.length === 0) return;
    if (this.partialBytes + piece.length > MAX_LINE_BYTES) {
      events.push({ type: 'overflow', bytes: this.partialBytes + piece.length });
      this.partial = [];
      this.partialBytes = 0;
      this.skipping = true;
      return;
    }
    this.partial.push(Buffer.from(piece)); // a copy: the caller may reuse its buffer
    this.partialBytes += piece.length;
  }

  private joinPartial(): Buffer {
    const line = this.partial.length === 1 ? (this.partial[0] as Buffer) : Buffer.concat(this.partial);
    this.partial = [];
    this.partialBytes = 0;
    // tmux ends lines with LF; a CR before it would come from a pty in between (not ours): drop it
    return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line;
  }

  private line(raw: Buffer, events: ControlEvent[]): void {
    const block = this.block;
    if (block) {
      const text = raw.toString('utf8');
      const end = /^%(end|error) \d+ (\d+) (\d+)$/.exec(text);
      if (end && Number(end[2]) === block.number) {
        this.block = null;
        events.push({ type: 'reply', number: block.number, fromClient: block.fromClient, ok: end[1] === 'end', lines: block.lines });
      } else if (block.bytes + text.length <= MAX_LINE_BYTES) {
        block.lines.push(text);
        block.bytes += text.length;
      } else events.push({ type: 'overflow', bytes: text.length }); // a reply this long is not one tether asked for
      return;
    }
    if (raw[0] !== 0x25) return; // outside a block every line is a %-notification; anything else is noise
    const sp = raw.indexOf(0x20);
    const name = raw.subarray(1, sp === -1 ? raw.length : sp).toString('latin1');
    if (name === 'output') {
      const sp2 = raw.indexOf(0x20, sp + 1);
      if (sp === -1 || sp2 === -1) return;
      events.push({ type: 'output', pane: raw.subarray(sp + 1, sp2).toString('latin1'), data: decodeOutput(raw.subarray(sp2 + 1)) });
      return;
    }
    const args = sp === -1 ? '' : raw.subarray(sp + 1).toString('utf8');
    const begin = name === 'begin' ? /^\d+ (\d+) (\d+)$/.exec(args) : null;
    if (begin) {
      this.block = { number: Number(begin[1]), fromClient: (Number(begin[2]) & 1) === 1, lines: [], bytes: 0 };
      return;
    }
    events.push(notification(name, args));
  }
}

function notification(name: string, args: string): ControlEvent {
  switch (name) {
    case 'exit':
      return { type: 'exit', reason: args };
    case 'pause':
    case 'continue':
      return { type: name, pane: args.split(' ')[0] ?? '' };
    case 'subscription-changed': {
      const colon = args.indexOf(' : ');
      const subName = args.split(' ')[0] ?? '';
      return { type: 'subscription', name: subName, value: colon === -1 ? '' : args.slice(colon + 3) };
    }
    default:
      return { type: 'notification', name, args };
  }
}
