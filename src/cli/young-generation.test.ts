import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YoungGeneration } from './young-generation.js';

test('the young generation is held from the start and let go at the first flood of output, once', () => {
  const flags: string[] = [];
  let now = 1_000_000;
  const y = new YoungGeneration((f) => flags.push(f), () => now);
  assert.deepEqual(flags, ['--semi-space-growth-factor=1']);
  // a day of ordinary output: 1 MiB every minute never adds up to a flood
  for (let i = 0; i < 24 * 60; i++, now += 60_000) y.output(1024 * 1024);
  assert.equal(y.holding, true);
  // 32 MiB within ten seconds is a flood
  for (let i = 0; i < 32; i++, now += 100) y.output(1024 * 1024);
  assert.equal(y.holding, false);
  assert.deepEqual(flags, ['--semi-space-growth-factor=1', '--semi-space-growth-factor=2']);
  y.output(64 * 1024 * 1024);
  assert.equal(flags.length, 2, 'let go once');
});

test('output spread over more than the window is no flood', () => {
  let now = 0;
  const y = new YoungGeneration(() => undefined, () => now);
  for (let i = 0; i < 100; i++, now += 400) y.output(1024 * 1024); // 2.5 MiB/s: 25 MiB per window
  assert.equal(y.holding, true);
});
