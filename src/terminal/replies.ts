// The local terminal's replies in the typed input that concern us, not the remote: pure.

/** Our cursor position report (CSI row;col R) taken out of the input, if present. */
export function takeCursorReport(data: Buffer): { rest: Buffer; row: number; col: number } | null {
  for (let at = data.indexOf(0x1b); at >= 0; at = data.indexOf(0x1b, at + 1)) {
    const m = /^\[(\d+);(\d+)R/.exec(data.toString('latin1', at + 1, at + 24));
    if (m === null) continue;
    const rest = Buffer.concat([data.subarray(0, at), data.subarray(at + 1 + m[0].length)]);
    return { rest, row: Number(m[1]), col: Number(m[2]) };
  }
  return null;
}

/** The size report (CSI 8;rows;cols t, the reply to CSI 18 t) rewritten to the remote's rows. */
export function fixSizeReport(bytes: Buffer, remoteRows: number): Buffer {
  const at = bytes.indexOf('\x1b[8;');
  if (at < 0) return bytes;
  const m = /^\[8;(\d+);(\d+)t/.exec(bytes.toString('latin1', at + 1, at + 24));
  if (m === null) return bytes;
  const fixed = Buffer.from(`\x1b[8;${remoteRows};${m[2]}t`);
  return Buffer.concat([bytes.subarray(0, at), fixed, fixSizeReport(bytes.subarray(at + 1 + m[0].length), remoteRows)]);
}

/** CSI replies a terminal sends on its own: DA1/DA2/DA3, DECRPM, CPR, DSR status, window reports, focus. */
const CSI_REPLY = /^\[(?:[?>=][\d;]*c|\??[\d;]*\$y|\d+;\d+R|\d+n|\d+(?:;\d+)*t|[IO])/;
/** The longest reply we look for (OSC/DCS replies such as a colour or XTVERSION report). */
const MAX_REPLY = 512;

/**
 * The length of a complete terminal reply starting at `at` (an ESC), or 0 when there is none.
 * Replies are what the local terminal answers to a query, never what the user typed.
 */
export function replyLength(data: Uint8Array, at: number): number {
  if (data[at] !== 0x1b) return 0;
  const next = data[at + 1];
  if (next === 0x5b) {
    const m = CSI_REPLY.exec(Buffer.from(data.buffer, data.byteOffset + at + 1, Math.min(64, data.length - at - 1)).toString('latin1'));
    return m === null ? 0 : 1 + m[0].length;
  }
  if (next !== 0x5d && next !== 0x50) return 0; // OSC (ESC ]) or DCS (ESC P), ended by BEL (OSC) or ST
  const end = Math.min(data.length, at + MAX_REPLY);
  for (let i = at + 2; i < end; i++) {
    if (data[i] === 0x07 && next === 0x5d) return i - at + 1;
    if (data[i] === 0x1b) return data[i + 1] === 0x5c ? i - at + 2 : 0;
  }
  return 0;
}

/** The input without terminal replies (they answered a remote that is gone; a new one asks again). */
export function withoutReplies(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let from = 0;
  for (let at = data.indexOf(0x1b); at >= 0 && at < data.length; at = data.indexOf(0x1b, at + 1)) {
    const n = replyLength(data, at);
    if (n === 0) continue;
    parts.push(data.subarray(from, at));
    from = at + n;
    at = from - 1;
  }
  if (from === 0) return data;
  parts.push(data.subarray(from));
  return Buffer.concat(parts);
}
