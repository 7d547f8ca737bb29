import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, shortId } from './format.js';

test('durations read as people say them', () => {
  assert.equal(formatDuration(850), '850 ms');
  assert.equal(formatDuration(4100), '4.1 s');
  assert.equal(formatDuration(2000), '2 s');
  assert.equal(formatDuration(301_000), '301 s');
  assert.equal(formatDuration(1_503_000), '25 min 3 s');
  assert.equal(formatDuration(3 * 3_600_000 + 5 * 60_000), '3 h 5 min');
  assert.equal(formatDuration(3 * 86_400_000 + 2 * 3_600_000), '3 d 2 h');
  assert.equal(formatDuration(-2000), '-2 s');
});

test('short ids', () => {
  assert.equal(shortId('3f2a0c1e'), '3f2a…');
  assert.equal(shortId('abc'), 'abc');
});
