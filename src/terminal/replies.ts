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
