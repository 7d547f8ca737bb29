// What the status bar and the outage panel say: pure text from a snapshot, sized to a width.

/** The link states the bar shows (recovery's state machine, seen from the user's chair). */
export type LinkState = 'connected' | 'suspect' | 'down' | 'reconnecting' | 'restoring';

/** Everything the bar shows; the cli pushes a new one on every change (the bar never polls). */
export interface StatusSnapshot {
  host: string;
  state: LinkState;
  /** Reconnect attempt number while reconnecting. */
  attempt?: number;
  /** When the next attempt starts, on the `now` clock given to the UI (ms). */
  nextTryAt?: number;
  rttMs?: number;
  keepaliveMs?: number;
  /** Keys typed during the outage, waiting for the session to come back. */
  heldKeys?: number;
  resetsToday?: number;
  /** The cause of the last reset (`idle-timeout`, ...). */
  lastCause?: string;
}

/** What the outage panel shows while the link is down. */
export interface OutageInfo {
  host: string;
  /** When the link was last heard alive (ms, `now` clock). */
  downSince: number;
  /** The cause as known so far, and how sure. */
  cause?: string;
  confidence?: string;
  /** Facts gathered so far, one per line. */
  evidence?: string[];
  attempt?: number;
  nextTryAt?: number;
  heldKeys?: number;
  lastError?: string;
}

/** Columns a string takes on a terminal (East Asian wide and emoji count 2, combining 0). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0) ?? 0);
  return w;
}

/** wcwidth for the ranges that matter in host names, causes and messages. */
/** Cells one code point takes in a terminal (0, 1 or 2). */
export function charWidth(c: number): number {
  if (c === 0 || (c >= 0x300 && c <= 0x36f) || c === 0x200d || (c >= 0xfe00 && c <= 0xfe0f)) return 0;
  if (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1f64f) ||
    (c >= 0x1f900 && c <= 0x1f9ff) ||
    (c >= 0x20000 && c <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** Cuts to at most `width` columns, marking the cut with an ellipsis. */
export function fit(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return width > 0 ? out + '…' : '';
}

/** Pads (or cuts) to exactly `width` columns. */
export function padTo(s: string, width: number): string {
  const f = fit(s, width);
  return f + ' '.repeat(Math.max(0, width - displayWidth(f)));
}

/** "850 ms", "12 s", "3 min 5 s", "2 h 3 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const m = Math.round(s / 60);
  return m % 60 === 0 ? `${Math.floor(m / 60)} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The countdown to the next attempt, in whole seconds, or "now". */
function nextTry(at: number | undefined, now: number): string {
  if (at === undefined || at <= now) return 'trying now';
  return `next try in ${Math.ceil((at - now) / 1000)} s`;
}

/** The state words, which never drop out of the bar. */
export function stateLabel(s: StatusSnapshot, now: number): string {
  switch (s.state) {
    case 'connected':
      return 'connected';
    case 'suspect':
      return 'no reply, checking';
    case 'down':
      return 'link down';
    case 'reconnecting':
      return `reconnecting #${s.attempt ?? 1}, ${nextTry(s.nextTryAt, now)}`;
    case 'restoring':
      return 'restoring session';
  }
}

/** The bar's text at exactly `cols` columns; less important fields drop out first when narrow. */
export function formatStatus(s: StatusSnapshot, cols: number, now: number): string {
  const sep = ' │ ';
  const fields: { order: number; text: string }[] = [];
  const add = (order: number, text: string | undefined): void => {
    if (text !== undefined) fields.push({ order, text });
  };
  // in order of importance: the first ones win the space
  add(1, stateLabel(s, now));
  if ((s.heldKeys ?? 0) > 0) add(2, `${s.heldKeys} key${s.heldKeys === 1 ? '' : 's'} held`);
  if (s.rttMs !== undefined) add(3, `rtt ${s.rttMs < 10 ? s.rttMs.toFixed(1) : Math.round(s.rttMs)} ms`);
  if (s.lastCause !== undefined) add(4, `last: ${s.lastCause}`);
  if (s.resetsToday !== undefined) add(5, `resets today ${s.resetsToday}`);
  if (s.keepaliveMs !== undefined) add(6, `keep-alive ${formatDuration(s.keepaliveMs)}`);
  const hint = '~? help ';
  const host = ` ${s.host}`;
  const budget = cols - displayWidth(host);
  const chosen: typeof fields = [];
  let used = 0;
  for (const f of fields) {
    const w = displayWidth(sep) + displayWidth(f.text);
    if (used + w <= budget || chosen.length === 0) {
      chosen.push(f);
      used += w;
    }
  }
  chosen.sort((a, b) => a.order - b.order);
  const left = host + chosen.map((f) => sep + f.text).join('');
  const room = cols - displayWidth(left);
  if (room >= displayWidth(hint) + 2) return left + ' '.repeat(room - displayWidth(hint)) + hint;
  return padTo(left, cols);
}

/** The outage panel's lines (without border), each at most `width` columns. */
export function formatOutage(o: OutageInfo, width: number, now: number): string[] {
  const lines: string[] = [];
  lines.push(`The link to ${o.host} is down (${formatDuration(now - o.downSince)}).`);
  lines.push('');
  const conf = o.confidence === undefined ? '' : ` (${o.confidence})`;
  lines.push(o.cause === undefined ? 'Cause: still looking.' : `Cause so far: ${o.cause}${conf}`);
  for (const e of o.evidence ?? []) lines.push(`  - ${e}`);
  if (o.lastError !== undefined) lines.push(`Last error: ${o.lastError}`);
  lines.push('');
  const attempt = o.attempt === undefined ? 'Waiting to reconnect' : `Attempt ${o.attempt}`;
  lines.push(`${attempt}, ${nextTry(o.nextTryAt, now)}.`);
  const held = o.heldKeys ?? 0;
  if (held > 0) lines.push(`${held} key${held === 1 ? '' : 's'} held, sent when the session is back.`);
  lines.push('');
  lines.push('r  retry now      ~.  quit');
  return wrapLines(lines, width);
}

/** The one line shown after a restore: how long, why, and what tether changed. */
export function formatRestored(downtimeMs: number, why: string, change?: string): string {
  return `link down ${formatDuration(downtimeMs)}: ${why}${change === undefined ? '' : `; ${change}`}`;
}

/** Splits on line breaks, then wraps each line at spaces to `width` cells; a word longer than the width is broken. */
export function wrapLines(lines: readonly string[], width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const raw of lines) {
    for (const line of raw.replace(/\r/g, '').replace(/\t/g, '  ').split('\n')) out.push(...wrapOne(line, w));
  }
  return out;
}

function wrapOne(line: string, width: number): string[] {
  if (displayWidth(line) <= width) return [line];
  const indent = /^\s*(?:[-•→]\s+)?/.exec(line)?.[0] ?? '';
  const hang = ' '.repeat(Math.min(displayWidth(indent), Math.floor(width / 2)));
  const out: string[] = [];
  let cur = '';
  for (const word of line.split(/(?<= )/)) {
    if (displayWidth(cur + word.trimEnd()) <= width) {
      cur += word;
      continue;
    }
    if (cur.trim() !== '') out.push(cur.trimEnd());
    cur = hang;
    let rest = word;
    while (displayWidth(cur + rest.trimEnd()) > width) {
      const [head, tail] = splitAt(rest, width - displayWidth(cur));
      if (head === '') break;
      out.push(cur + head);
      cur = hang;
      rest = tail;
    }
    cur += rest;
  }
  if (cur.trim() !== '') out.push(cur.trimEnd());
  return out;
}

/** The longest prefix of `s` that fits in `cells`, and the rest. */
function splitAt(s: string, cells: number): [string, string] {
  let w = 0;
  let i = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > cells) break;
    w += cw;
    i += ch.length;
  }
  return [s.slice(0, i), s.slice(i)];
}
