// Bulk plain text, condensed for the screen model: the emulator costs ~50 MiB/s, the terminal
// may be faster, and only the last screenful of a text stream can ever be redrawn.

/** Chunks smaller than this are fed whole (typing and ordinary output stay byte-exact). */
export const CONDENSE_MIN = 8192;

const LF = 0x0a;
const CR = 0x0d;

/** True when the bytes hold nothing that changes state beyond the text itself (ESC, SO/SI, UTF-8 C1). */
function plain(data: Buffer, from: number, to: number): boolean {
  for (const b of [0x1b, 0x0e, 0x0f]) {
    const k = data.indexOf(b, from);
    if (k >= 0 && k < to) return false;
  }
  for (let k = data.indexOf(0xc2, from); k >= 0 && k < to; k = data.indexOf(0xc2, k + 1)) {
    const next = data[k + 1] ?? 0;
    if (next >= 0x80 && next <= 0x9f) return false; // U+0080..U+009F: a C1 control to the emulator
  }
  return true;
}

/** How many LF bytes [from, to) holds, stopping early at `enough`. */
function countLf(data: Buffer, from: number, to: number, enough: number): number {
  let n = 0;
  for (let k = data.indexOf(LF, from); k >= 0 && k < to && n < enough; k = data.indexOf(LF, k + 1)) n++;
  return n;
}

/**
 * The bytes that leave a `rows`-high emulator in the same state as `chunk` does, when the scroll
 * region is the whole screen: a plain-text prefix with at least `rows` line feeds, ending in CRLF,
 * pushes every earlier row out exactly as `rows` CRLFs do, so it is replaced by them. The tail
 * (with at least `rows` line feeds of its own) is kept byte for byte. Otherwise `chunk` itself.
 */
export function condenseForModel(chunk: Buffer, rows: number): Buffer {
  if (chunk.length < CONDENSE_MIN || rows < 1) return chunk;
  // the cut: right after the (rows+1)-th LF from the end, which must follow a CR (column 0)
  let lf = chunk.length;
  for (let seen = 0; seen <= rows; seen++) {
    lf = chunk.lastIndexOf(LF, lf - 1);
    if (lf < 0) return chunk;
  }
  if (chunk[lf - 1] !== CR) return chunk;
  const cut = lf + 1;
  const filler = rows * 2;
  if (cut <= filler + 16) return chunk; // nothing worth saving
  if (countLf(chunk, 0, cut, rows) < rows || !plain(chunk, 0, cut)) return chunk;
  return Buffer.concat([Buffer.from('\r\n'.repeat(rows)), chunk.subarray(cut)]);
}
