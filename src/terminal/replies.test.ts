import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixSizeReport, takeCursorReport } from './replies.js';

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
