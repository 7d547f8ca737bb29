import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  UNKNOWN_BOUNDS,
  afterIdleReset,
  afterSurvivedSilence,
  applyIdleProbeResults,
  idleLimitEstimate,
  isConverged,
  keepaliveForBound,
  keepaliveForBounds,
  planIdleProbes,
  type IdleBounds,
  type IdleProbeResult,
} from './idle-learning.js';

/** A path that drops any connection idle for >= limitMs. */
function simulate(waits: number[], limitMs: number): IdleProbeResult[] {
  return waits.map((waitMs) => ({ waitMs, outcome: waitMs < limitMs ? 'survived' : 'died' }));
}

test('keep-alive is half the bound, never below 5 s', () => {
  assert.equal(keepaliveForBound(240_000), 120_000);
  assert.equal(keepaliveForBound(350_000), 175_000);
  assert.equal(keepaliveForBound(6_000), 5_000);
  assert.equal(keepaliveForBounds(UNKNOWN_BOUNDS), undefined);
  assert.equal(keepaliveForBounds({ lowerMs: 60_000, upperMs: undefined }), 30_000);
});

test('a reset lowers the upper bound; a survived silence raises the lower', () => {
  let b: IdleBounds = UNKNOWN_BOUNDS;
  b = afterSurvivedSilence(b, 20_000);
  assert.deepEqual(b, { lowerMs: 20_000, upperMs: undefined });
  b = afterIdleReset(b, 400_000);
  assert.deepEqual(b, { lowerMs: 20_000, upperMs: 400_000 });
  b = afterIdleReset(b, 500_000); // a longer silence that killed adds nothing
  assert.deepEqual(b, { lowerMs: 20_000, upperMs: 400_000 });
  b = afterSurvivedSilence(b, 410_000); // contradicts the upper bound: ignored
  assert.deepEqual(b, { lowerMs: 20_000, upperMs: 400_000 });
  // A stricter path appears: a reset below the old lower bound wins and clears it.
  b = afterIdleReset(b, 15_000);
  assert.deepEqual(b, { lowerMs: 0, upperMs: 15_000 });
});

test('the plan is ascending, inside the bounds, geometric and at most 16 probes', () => {
  const waits = planIdleProbes({ lowerMs: 0, upperMs: 400_000 });
  assert.ok(waits.length > 1 && waits.length <= 16, `${waits.length} probes`);
  assert.equal(waits[0], 5_000);
  for (let i = 1; i < waits.length; i++) {
    const prev = waits[i - 1] ?? 0;
    const cur = waits[i] ?? 0;
    assert.ok(cur > prev);
    assert.ok(cur / prev <= 1.37, `ratio ${cur / prev} at ${i}`);
  }
  assert.ok((waits[waits.length - 1] ?? 0) < 400_000);
  // A proven lower bound is not probed again.
  const proven = planIdleProbes({ lowerMs: 100_000, upperMs: 400_000 });
  assert.ok((proven[0] ?? 0) > 100_000);
  assert.deepEqual(planIdleProbes({ lowerMs: 200_000, upperMs: 240_000 }), []);
});

for (const limitS of [30, 240, 350]) {
  for (const killedAfterS of [limitS, Math.round(limitS * 1.5), 2 * limitS, 600]) {
    if (killedAfterS < limitS) continue;
    test(`one round converges for an idle limit of ${limitS} s (reset after ${killedAfterS} s of silence)`, () => {
      const limit = limitS * 1000;
      const start = afterIdleReset(UNKNOWN_BOUNDS, killedAfterS * 1000);
      const waits = planIdleProbes(start);
      assert.ok(waits.length > 0 && waits.length <= 16);
      const m = applyIdleProbeResults(start, simulate(waits, limit));
      assert.equal(m.consistent, true);
      assert.equal(m.converged, true, JSON.stringify(m.bounds));
      const { lowerMs, upperMs } = m.bounds;
      assert.ok(upperMs !== undefined && lowerMs < limit && limit <= upperMs, JSON.stringify(m.bounds));
      assert.ok(upperMs <= Math.max(lowerMs, 5_000) * 1.4);
      // The persisted keep-alive is safe (below the limit) and not wasteful (at least half of it).
      assert.ok(m.keepaliveMs !== undefined);
      assert.ok(m.keepaliveMs < limit, `keepalive ${m.keepaliveMs} vs limit ${limit}`);
      assert.ok(m.keepaliveMs >= limit / 2);
      assert.ok(m.keepaliveMs <= limit * 0.7);
      // Nothing left to measure.
      assert.deepEqual(planIdleProbes(m.bounds), []);
    });
  }
}

test('without any reset, a round measures up to maxWaitMs', () => {
  const waits = planIdleProbes(UNKNOWN_BOUNDS, { maxWaitMs: 600_000 });
  assert.equal(waits[waits.length - 1], 600_000);
  const none = applyIdleProbeResults(UNKNOWN_BOUNDS, simulate(waits, Infinity), { maxWaitMs: 600_000 });
  assert.deepEqual(none.bounds, { lowerMs: 600_000, upperMs: undefined });
  assert.equal(none.converged, true);
  assert.equal(none.keepaliveMs, 300_000);
  const some = applyIdleProbeResults(UNKNOWN_BOUNDS, simulate(waits, 240_000), { maxWaitMs: 600_000 });
  assert.equal(some.converged, true);
  assert.ok(some.keepaliveMs !== undefined && some.keepaliveMs < 240_000 && some.keepaliveMs >= 120_000);
});

test('a limit below the floor ends at the 5 s keep-alive', () => {
  const start = afterIdleReset(UNKNOWN_BOUNDS, 30_000);
  const m = applyIdleProbeResults(start, simulate(planIdleProbes(start), 3_000));
  assert.deepEqual(m.bounds, { lowerMs: 0, upperMs: 5_000 });
  assert.equal(m.keepaliveMs, 5_000);
  assert.equal(isConverged(m.bounds), true);
});

test('inconsistent and failed probes: the shortest death wins, errors are ignored', () => {
  const start: IdleBounds = { lowerMs: 0, upperMs: 300_000 };
  const m = applyIdleProbeResults(start, [
    { waitMs: 10_000, outcome: 'survived' },
    { waitMs: 20_000, outcome: 'error' },
    { waitMs: 40_000, outcome: 'died' },
    { waitMs: 80_000, outcome: 'survived' },
  ]);
  assert.deepEqual(m.bounds, { lowerMs: 10_000, upperMs: 40_000 });
  assert.equal(m.consistent, false);
  assert.equal(m.keepaliveMs, 20_000);
});

test('doctor: repeated rounds with few probes narrow the limit to within 20 %', () => {
  const options = { tolerance: 0.2, maxProbes: 5 };
  for (const limit of [30_000, 240_000, 350_000, 7_300]) {
    let bounds: IdleBounds = UNKNOWN_BOUNDS;
    let rounds = 0;
    for (let waits = planIdleProbes(bounds, options); waits.length > 0; waits = planIdleProbes(bounds, options)) {
      assert.ok(waits.length <= 5);
      bounds = applyIdleProbeResults(bounds, simulate(waits, limit), options).bounds;
      rounds++;
      assert.ok(rounds <= 4, `still not converged after ${rounds} rounds: ${JSON.stringify(bounds)}`);
    }
    const est = idleLimitEstimate(bounds);
    assert.ok(est !== undefined && Math.abs(est - limit) / limit <= 0.2, `limit ${limit}: estimate ${est}, ${JSON.stringify(bounds)}`);
  }
});
