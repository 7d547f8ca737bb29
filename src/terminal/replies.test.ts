import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixSizeReport, replyLength, takeCursorReport, withoutReplies } from './replies.js';

test('the cursor report is taken out, the rest kept in order', () => {
  const r = takeCursorReport(Buffer.from('ab\x1b[12;40Rcd'));
  assert.deepEqual(r && { rest: r.rest.toString(), row: r.row, col: r.col }, { rest: 'abcd', row: 12, col: 40 });
  assert.equal(takeCursorReport(Buffer.from('\x1b[A plain arrow')), null);
});

test('size reports give the remote rows, anything else is untouched', () => {
  assert.equal(fixSizeReport(Buffer.from('\x1b[8;24;80t'), 23).toString(), '\x1b[8;23;80t');
  assert.equal(fixSizeReport(Buffer.from('x\x1b[8;50;200tY\x1b[8;50;200t'), 49).toString(), 'x\x1b[8;49;200tY\x1b[8;49;200t');
  const other = Buffer.from('\x1b[4;600;800t');
  assert.equal(fixSizeReport(other, 23), other);
});

test('terminal replies are recognised, typed keys are not', () => {
  const len = (s: string): number => replyLength(Buffer.from(s, 'latin1'), 0);
  assert.equal(len('\x1b[>0;276;0c'), 11); // DA2, xterm.js
  assert.equal(len('\x1b[?1;2c'), 7); // DA1
  assert.equal(len('\x1b[?2004;1$y'), 11); // DECRPM
  assert.equal(len('\x1b[12;40R'), 8); // CPR
  assert.equal(len('\x1b[0n'), 4);
  assert.equal(len('\x1b[8;24;80t'), 10);
  assert.equal(len('\x1b[I'), 3);
  assert.equal(len('\x1b]11;rgb:0000/0000/0000\x07'), 24);
  assert.equal(len('\x1bP>|xterm.js(5.5.0)\x1b\\'), 21);
  for (const key of ['\x1b[A', '\x1b[3~', '\x1bOP', '\x1b[1;5D', 'x', '\x1b', '\x1b]11;unterminated', '\x1b[>0;27']) assert.equal(len(key), 0, JSON.stringify(key));
});

test('replies are taken out of held input, keys kept in order', () => {
  const s = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
  assert.equal(s(withoutReplies(Buffer.from('ls\x1b[>0;276;0c\x1b[A\r\x1b[?1;2c'))), 'ls\x1b[A\r');
  const plain = Buffer.from('no replies\r');
  assert.equal(withoutReplies(plain), plain);
});
