import { test } from 'node:test';
import assert from 'node:assert/strict';
import unicode11 from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import type { Terminal as XTerminal } from '@xterm/headless';
import { ScreenModel, cellSgr } from './screen-model.js';

const { Terminal } = xterm;

/** Every cell of the visible screen as "chars|width|sgr" (a never-written cell counts as a space). */
function cells(t: XTerminal): string[] {
  const b = t.buffer.active;
  const cell = b.getNullCell();
  const out: string[] = [];
  for (let y = 0; y < t.rows; y++) {
    const line = b.getLine(b.baseY + y);
    for (let x = 0; x < t.cols; x++) {
      line?.getCell(x, cell);
      out.push(`${cell.getChars() || ' '}|${cell.getWidth()}|${cellSgr(cell)}`); // never-written = blank
    }
  }
  return out;
}

const written = (t: XTerminal, data: string): Promise<void> => new Promise((r) => t.write(data, r));

test('frameSequence paints the same cells, attributes and colours into a blank terminal', async () => {
  const model = new ScreenModel(40, 8);
  const input =
    '\x1b[1mbold\x1b[0m \x1b[3mitalic\x1b[23m \x1b[4munder\x1b[24m \x1b[7minv\x1b[27m \x1b[2mdim\x1b[22m \x1b[9mstrike\x1b[0m\r\n' +
    '\x1b[31mred\x1b[91mbright\x1b[38;5;200m256\x1b[38;2;10;20;30mtrue\x1b[48;2;200;100;0mbg\x1b[0m\r\n' +
    '漢字 wide 😀 emoji é\r\n' +
    '\x1b[44m\x1b[K blue line to the end\x1b[0m\r\n' +
    '\x1b[5;30Hplaced\x1b[8;1Hlast row';
  model.feed(Buffer.from(input), false);
  await new Promise<void>((r) => model.flush(r));
  // the local terminal, with today's character widths (an emoji is two cells, as in the model)
  const fresh = new Terminal({ cols: 40, rows: 8, allowProposedApi: true, scrollback: 0 });
  fresh.loadAddon(new unicode11.Unicode11Addon());
  fresh.unicode.activeVersion = '11';
  await written(fresh, 'garbage everywhere '.repeat(30));
  await written(fresh, model.frameSequence());
  assert.deepEqual(cells(fresh), cells(model.term));
  assert.equal(model.lineText(4).trim(), 'placed');
  assert.equal(model.term.buffer.active.getLine(2)?.getCell(10)?.getChars(), '😀');
  assert.equal(model.term.buffer.active.getLine(2)?.getCell(10)?.getWidth(), 2, 'an emoji is two cells in the model');
  assert.deepEqual(model.cursor(), { x: 8, y: 7 });
  fresh.dispose();
  model.dispose();
});

test('batched feed: nothing parsed until flush or the batch timer, backlog counts it', async () => {
  const model = new ScreenModel(20, 3);
  model.feed(Buffer.from('abc'), false);
  assert.equal(model.backlog, 3);
  assert.equal(model.lineText(0), '');
  await new Promise<void>((r) => model.flush(r));
  assert.equal(model.lineText(0), 'abc');
  assert.equal(model.backlog, 0);
  model.feed(Buffer.from('def'), false);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(model.lineText(0), 'abcdef');
  model.dispose();
});
