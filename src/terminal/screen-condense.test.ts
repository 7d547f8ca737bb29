import { test } from 'node:test';
import assert from 'node:assert/strict';
import { condenseForModel, CONDENSE_MIN } from './screen-condense.js';
import { ScreenModel } from './screen-model.js';

/** A deterministic pseudo-random generator, so failures replay. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Plain text lines of varied length: long ones wrap, some tabs, wide chars, CR progress lines. */
function textStream(bytes: number, seed: number, sgr = false): Buffer {
  const r = rng(seed);
  const parts: string[] = [];
  let n = 0;
  let i = 0;
  while (n < bytes) {
    const len = Math.floor(r() * 200);
    let line = `${i++} `;
    while (line.length < len) line += r() < 0.05 ? '\t' : r() < 0.03 ? '漢' : r() < 0.02 ? 'é' : String.fromCharCode(97 + Math.floor(r() * 26));
    if (r() < 0.05) line = `${line}\r50%`;
    if (sgr && r() < 0.3) line = `\x1b[${Math.floor(r() * 8) + 31}m${line}\x1b[${r() < 0.5 ? '0' : '1;4'}m`;
    if (sgr && r() < 0.05) line = `\x1b[48;5;${Math.floor(r() * 256)}m${line}`;
    parts.push(line + '\r\n');
    n += Buffer.byteLength(line) + 2;
  }
  return Buffer.from(parts.join(''));
}

/** Feeds the same preamble, then chunk (full or condensed), then a postscript; returns the frame. */
async function frame(rows: number, cols: number, chunk: Buffer, condensed: boolean): Promise<{ frame: string; cursor: { x: number; y: number } }> {
  const m = new ScreenModel(cols, rows);
  m.write(Buffer.from('\x1b[1;31mred before\x1b[0m\r\n\x1b[44m'));
  m.write(condensed ? condenseForModel(chunk, rows) : chunk);
  m.write(Buffer.from('\x1b[0mafter \x1b[3mitalic\x1b[0m'));
  await new Promise<void>((r) => m.flush(r));
  const out = { frame: m.frameSequence(), cursor: m.cursor() };
  m.dispose();
  return out;
}

for (const [rows, cols, seed, sgr] of [
  [23, 80, 1, false],
  [99, 300, 2, false],
  [5, 20, 3, false],
  [23, 80, 5, true],
  [99, 300, 6, true],
  [5, 20, 7, true],
] as const) {
  test(`condensed text leaves the model exactly as the full text (${cols}x${rows}${sgr ? ', SGR colours' : ''})`, async () => {
    const chunk = textStream(64 * 1024, seed, sgr);
    const small = condenseForModel(chunk, rows);
    assert.ok(small.length < chunk.length / 4, `condensed to ${small.length} of ${chunk.length}`);
    assert.deepEqual(await frame(rows, cols, chunk, true), await frame(rows, cols, chunk, false));
  });
}

test('the pen at the cut is carried into the condensed tail', async () => {
  for (const pen of ['\x1b[1;4m', '\x1b[0;7m\x1b[38;2;1;2;3m', '\x1b[m\x1b[44m\x1b[3m']) {
    const chunk = Buffer.from(`${pen}styled\r\n${'plain line\r\n'.repeat(2000)}tail`);
    assert.ok(condenseForModel(chunk, 23).length < 1000);
    assert.deepEqual(await frame(23, 80, chunk, true), await frame(23, 80, chunk, false));
  }
});

test('chunks with escapes other than SGR, short chunks and bare LF lines are fed whole', () => {
  const text = textStream(64 * 1024, 4);
  const withEsc = Buffer.concat([Buffer.from('\x1b[2J'), text]);
  assert.equal(condenseForModel(withEsc, 23), withEsc);
  const short = text.subarray(0, CONDENSE_MIN - 1);
  assert.equal(condenseForModel(short, 23), short);
  const bareLf = Buffer.from(text.toString().replace(/\r\n/g, '\n'));
  assert.equal(condenseForModel(bareLf, 23), bareLf);
  const c1 = Buffer.concat([Buffer.from('\u009b2J'), text]);
  assert.equal(condenseForModel(c1, 23), c1);
});
