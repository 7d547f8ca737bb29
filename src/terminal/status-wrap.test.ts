import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayWidth, wrapLines } from './status-text.js';

test('lines are wrapped at spaces, never cut, and every word is kept in order', () => {
  const text = '→ add `ServerAliveInterval 60` under `Host db` in ~/.ssh/config so that plain ssh keeps the link up too';
  const out = wrapLines([text], 30);
  assert.ok(out.length > 1);
  for (const l of out) assert.ok(displayWidth(l) <= 30, l);
  assert.equal(out.join(' ').replace(/\s+/g, ' '), text);
  assert.match(out[1] ?? '', /^ {2}\S/, 'continuation lines hang under the text, not the bullet');
});

test('line breaks inside a line become lines; a word longer than the width is broken', () => {
  assert.deepEqual(wrapLines(['a\r\nb', 'x'.repeat(25)], 10), ['a', 'b', 'xxxxxxxxxx', 'xxxxxxxxxx', 'xxxxx']);
  assert.deepEqual(wrapLines(['r  retry now      ~.  quit'], 40), ['r  retry now      ~.  quit']);
});

test('wide characters count as two cells', () => {
  for (const l of wrapLines(['日本語のテキストはここで折り返されます ok'], 12)) assert.ok(displayWidth(l) <= 12, l);
});
