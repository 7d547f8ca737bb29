import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputRewriter } from './screen-rewrite.js';

/** Golden pairs on a 23-row remote screen (24-row local terminal): input, output, bar damaged. */
const GOLDEN: [name: string, input: string, output: string, damaged: boolean][] = [
  ['plain text passes', 'hello\r\nworld', 'hello\r\nworld', false],
  ['SGR and colours pass', '\x1b[1;38;2;1;2;3mX\x1b[3m\x1b[0m', '\x1b[1;38;2;1;2;3mX\x1b[3m\x1b[0m', false],
  ['CSI r resets to the remote height', 'a\x1b[rb', 'a\x1b[1;23rb', false],
  ['CSI r bottom beyond the remote is clamped', '\x1b[2;24r', '\x1b[2;23r', false],
  ['CSI r inside is kept (bar repainted while a region of its own is set)', '\x1b[3;10r', '\x1b[3;10r', true],
  ['cursor to the last row is clamped', '\x1b[24;5H', '\x1b[23;5H', false],
  ['HVP clamped too', '\x1b[99;1f', '\x1b[23;1f', false],
  ['CUP inside is kept', '\x1b[23;80H\x1b[H', '\x1b[23;80H\x1b[H', false],
  ['VPA clamped', '\x1b[30d', '\x1b[23d', false],
  ['clear screen damages the bar', '\x1b[H\x1b[2J', '\x1b[H\x1b[2J', true],
  ['erase below damages the bar', '\x1b[J', '\x1b[J', true],
  ['erase above does not', '\x1b[1J', '\x1b[1J', false],
  ['alt screen: region asserted again, cursor kept', '\x1b[?1049h', '\x1b[?1049h\x1b7\x1b[1;23r\x1b8', true],
  ['alt screen off', '\x1b[?1049l', '\x1b[?1049l\x1b7\x1b[1;23r\x1b8', true],
  ['RIS: margins and home', 'x\x1bcy', 'x\x1bc\x1b[1;23r\x1b[Hy', true],
  ['DECSTR', '\x1b[!p', '\x1b[!p\x1b7\x1b[1;23r\x1b8', false],
  ['OSC title with BEL passes', '\x1b]0;t\x1b[99H\x07\x1b[99H', '\x1b]0;t\x1b[99H\x07\x1b[23H', false],
  ['DCS passthrough passes', '\x1bPtmux;\x1b\x1b[99H\x1b\\\x1b[99H', '\x1bPtmux;\x1b\x1b[99H\x1b\\\x1b[23H', false],
  ['charset designation passes', '\x1b(0qq\x1b(B', '\x1b(0qq\x1b(B', false],
  ['private modes pass', '\x1b[?1h\x1b[?2004h\x1b[?1000;1006h\x1b=', '\x1b[?1h\x1b[?2004h\x1b[?1000;1006h\x1b=', false],
  ['CAN aborts a sequence', '\x1b[99\x18H', '\x1b[99\x18H', false],
  ['UTF-8 and wide chars pass', 'é漢😀', 'é漢😀', false],
];

function runWhole(input: string): { out: string; damaged: boolean } {
  const rw = new OutputRewriter(23);
  const r = rw.process(Buffer.from(input));
  return { out: Buffer.concat(r.chunks).toString(), damaged: r.barDamaged };
}

/** The same input one byte per chunk: sequences split anywhere must come out the same. */
function runBytewise(input: string): { out: string; damaged: boolean } {
  const rw = new OutputRewriter(23);
  const bytes = Buffer.from(input);
  const out: Buffer[] = [];
  let damaged = false;
  for (let i = 0; i < bytes.length; i++) {
    const r = rw.process(bytes.subarray(i, i + 1));
    out.push(...r.chunks);
    damaged ||= r.barDamaged;
  }
  return { out: Buffer.concat(out).toString(), damaged };
}

for (const [name, input, output, damaged] of GOLDEN) {
  test(`rewrite: ${name}`, () => {
    assert.deepEqual(runWhole(input), { out: output, damaged });
    assert.deepEqual(runBytewise(input), { out: output, damaged });
  });
}

test('modes are tracked for redraws', () => {
  const rw = new OutputRewriter(23);
  rw.process(Buffer.from('\x1b[?1006h\x1b[?25l\x1b[?1049h\x1b[2;20r'));
  assert.equal(rw.modes.mouseEncoding, 1006);
  rw.process(Buffer.from('\x1b[?1006l'));
  assert.deepEqual(rw.modes, { cursorHidden: true, originMode: false, altScreen: true, region: [2, 20], mouseEncoding: 0 });
  assert.equal(rw.regionSequence(), '\x1b[2;20r');
  rw.setRows(10);
  assert.equal(rw.modes.region, null);
  assert.equal(rw.regionSequence(), '\x1b[1;10r');
  rw.process(Buffer.from('\x1bc'));
  assert.deepEqual(rw.modes, { cursorHidden: false, originMode: false, altScreen: false, region: null, mouseEncoding: 0 });
});

test('text without ESC is not copied', () => {
  const rw = new OutputRewriter(23);
  const data = Buffer.from('x'.repeat(1000));
  const r = rw.process(data);
  assert.equal(r.chunks.length, 1);
  assert.equal(r.chunks[0], data);
});
