import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, backoffCeiling, fullJitterDelay, seededRandom } from './backoff.js';

test('ceiling doubles from 250 ms and stops at 30 s', () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffCeiling(a)),
    [250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000],
  );
  assert.equal(backoffCeiling(10_000), 30_000);
  assert.equal(backoffCeiling(3, { baseMs: 100, capMs: 500 }), 500);
});

test('full jitter spans [0, ceiling) and never exceeds the cap', () => {
  assert.equal(fullJitterDelay(3, () => 0), 0);
  assert.equal(fullJitterDelay(3, () => 0.5), 1000);
  assert.equal(fullJitterDelay(3, () => 0.999999), 1999);
  // A broken source is clamped rather than producing a delay above the ceiling.
  assert.equal(fullJitterDelay(0, () => 7), 249);
  assert.equal(fullJitterDelay(0, () => Number.NaN), 0);
  const random = seededRandom(42);
  let max = 0;
  let min = Infinity;
  for (let i = 0; i < 5000; i++) {
    const d = fullJitterDelay(20, random);
    max = Math.max(max, d);
    min = Math.min(min, d);
  }
  assert.ok(max < 30_000, `max ${max}`);
  // Full (not "equal") jitter: delays go well below half the ceiling too.
  assert.ok(min < 1000, `min ${min}`);
  assert.ok(max > 29_000, `max ${max}`);
});

test('seeded random is deterministic and uniform-ish', () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(
    xs.slice(0, 5),
    Array.from({ length: 5 }, () => b()),
  );
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(mean > 0.45 && mean < 0.55, `mean ${mean}`);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
});

test('Backoff climbs, resets on success, retries at once on demand', () => {
  const b = new Backoff(() => 0.5);
  assert.deepEqual([b.next(), b.next(), b.next(), b.next()], [125, 250, 500, 1000]);
  assert.equal(b.attempts, 4);
  b.reset();
  assert.equal(b.attempts, 0);
  assert.equal(b.next(), 125);
  for (let i = 0; i < 20; i++) b.next();
  assert.equal(b.next(), 15_000);
  assert.equal(b.retryNow(), 0);
  assert.equal(b.next(), 125);
});
