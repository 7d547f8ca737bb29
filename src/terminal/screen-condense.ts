// Bulk plain text, condensed for the screen model: the emulator costs ~50 MiB/s, the terminal
// may be faster, and only the last screenful of a text stream can ever be redrawn.

/** Chunks smaller than this are fed whole (typing and ordinary output stay byte-exact). */
export const CONDENSE_MIN = 8192;

const LF = 0x0a;
const CR = 0x0d;

/** Most SGR sequences a condensed prefix may carry (beyond that, the chunk is fed whole). */
const MAX_SGR = 64;

/**
 * The SGR sequences needed to reproduce the pen after [from, to), when those bytes hold only text
 * and SGR (no other escape, no SO/SI, no UTF-8 C1); null when they hold anything else. From the
 * last SGR that starts with a reset on, the later ones suffice.
 */
function penAfter(data: Buffer, from: number, to: number): Buffer[] | null {
  for (const b of [0x0e, 0x0f]) {
    const k = data.indexOf(b, from);
    if (k >= 0 && k < to) return null;
  }
  for (let k = data.indexOf(0xc2, from); k >= 0 && k < to; k = data.indexOf(0xc2, k + 1)) {
    const next = data[k + 1] ?? 0;
    if (next >= 0x80 && next <= 0x9f) return null; // U+0080..U+009F: a C1 control to the emulator
  }
  let sgr: Buffer[] = [];
  for (let k = data.indexOf(0x1b, from); k >= 0 && k < to; k = data.indexOf(0x1b, k + 1)) {
    if (data[k + 1] !== 0x5b) return null;
    let e = k + 2;
    while (e < to && ((data[e] as number) === 0x3b || (data[e] as number) === 0x3a || ((data[e] as number) >= 0x30 && (data[e] as number) <= 0x39))) e++;
    if (e >= to || data[e] !== 0x6d) return null;
    const first = data[k + 2];
    const reset = e === k + 2 || (first === 0x30 && /^0*(?:[;:]|$)/.test(data.toString('latin1', k + 2, e)));
    if (reset) sgr = [];
    sgr.push(data.subarray(k, e + 1));
    if (sgr.length > MAX_SGR) return null;
    k = e;
  }
  return sgr;
}

/** How many LF bytes [from, to) holds, stopping early at `enough`. */
function countLf(data: Buffer, from: number, to: number, enough: number): number {
  let n = 0;
  for (let k = data.indexOf(LF, from); k >= 0 && k < to && n < enough; k = data.indexOf(LF, k + 1)) n++;
  return n;
}

/**
 * The bytes that leave a `rows`-high emulator in the same state as `chunk` does, when the scroll
 * region is the whole screen: a prefix of text and SGR with at least `rows` line feeds, ending in
 * CRLF, pushes every earlier row out exactly as `rows` CRLFs do, so it is replaced by them plus
 * the SGR that give the same pen. The tail (with at least `rows` line feeds of its own, which
 * scroll out all that came before) is kept byte for byte. Otherwise `chunk` itself.
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
  if (countLf(chunk, 0, cut, rows) < rows) return chunk;
  const pen = penAfter(chunk, 0, cut);
  if (pen === null) return chunk;
  return Buffer.concat([Buffer.from('\r\n'.repeat(rows)), ...pen, chunk.subarray(cut)]);
}
