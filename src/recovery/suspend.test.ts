import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectSuspend, isFreeze, isWallJump, timerLateness, wallDrift } from './suspend.js';

test('a 1 s timer firing 30 s late is a freeze', () => {
  const r = detectSuspend({ setAtMono: 100_000, dueAtMono: 101_000, firedAtMono: 131_000 });
  assert.deepEqual(r, { kind: 'late-timer', awayMs: 30_000, lateByMs: 30_000, wallDriftMs: 0 });
});

test('ordinary lateness is not: the threshold is 2 s + 2 × interval', () => {
  assert.equal(detectSuspend({ setAtMono: 0, dueAtMono: 1_000, firedAtMono: 1_050 }), undefined);
  assert.equal(isFreeze(1_000, 4_000), false);
  assert.equal(isFreeze(1_000, 4_001), true);
  // A 25 s keep-alive timer may be up to 52 s late before it counts.
  assert.equal(isFreeze(25_000, 30_000), false);
  assert.equal(isFreeze(25_000, 52_001), true);
  assert.equal(isFreeze(1_000, 3_000, { lateGraceMs: 500 }), true);
  assert.equal(timerLateness(1_000, 900), 0);
});

test('a system sleep: monotonic timer punctual, wall clock 30 s ahead', () => {
  const r = detectSuspend({
    setAtMono: 0,
    dueAtMono: 1_000,
    firedAtMono: 1_000,
    setAtWall: 1_700_000_000_000,
    firedAtWall: 1_700_000_031_000,
  });
  assert.deepEqual(r, { kind: 'wall-clock-jump', awayMs: 30_000, lateByMs: 0, wallDriftMs: 30_000 });
});

test('clock steps backwards or a little forwards are not a sleep', () => {
  assert.equal(wallDrift(1_000, 31_000), 30_000);
  assert.equal(isWallJump(1_000, 3_500), false);
  assert.equal(isWallJump(1_000, 4_500), true);
  assert.equal(isWallJump(1_000, -60_000), false);
  assert.equal(
    detectSuspend({ setAtMono: 0, dueAtMono: 1_000, firedAtMono: 1_000, setAtWall: 50_000, firedAtWall: 20_000 }),
    undefined,
  );
});
