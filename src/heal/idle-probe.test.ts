import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureIdleLimit } from './idle-probe.js';
import type { IdleProbeDeps, ProbeLink } from './idle-probe.js';

/** A virtual clock: sleeps resolve in time order when everything else is waiting. */
function virtualClock() {
  let now = 0;
  const timers: { at: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + Math.max(0, ms), resolve })),
    /** Runs `work` to completion, advancing the clock whenever it waits. */
    async drive<T>(work: Promise<T>): Promise<T> {
      let done = false;
      const result = work.finally(() => (done = true));
      while (!done) {
        await new Promise((r) => setImmediate(r));
        if (done) break;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (!next) continue;
        now = Math.max(now, next.at);
        next.resolve();
      }
      return result;
    },
  };
}

/** A path that kills a connection silent for `limitMs` or more (undefined: never). */
function fakePath(clock: ReturnType<typeof virtualClock>, limitMs: number | undefined, failOpen = false): IdleProbeDeps & { opened: number } {
  const deps = {
    opened: 0,
    now: clock.now,
    sleep: clock.sleep,
    open: async (): Promise<ProbeLink> => {
      deps.opened++;
      if (failOpen) throw new Error('refused');
      await clock.sleep(100); // login
      const heard = clock.now();
      return {
        lastHeardAt: heard,
        closed: false,
        ping: async () => {
          const silence = clock.now() - heard;
          if (limitMs !== undefined && silence >= limitMs) {
            await clock.sleep(3000);
            throw new Error('timeout');
          }
          await clock.sleep(1);
          return 1;
        },
        dispose: () => undefined,
      };
    },
  };
  return deps;
}

const OPTS = { maxWaitMs: 60_000, budgetMs: 150_000, tolerance: 0.2, staggerMs: 200, pingTimeoutMs: 3000 };

test('a 20 s idle limit is found within 20 % in one round of parallel probes', async () => {
  const clock = virtualClock();
  const path = fakePath(clock, 20_000);
  const r = await clock.drive(measureIdleLimit(path, OPTS));
  assert.equal(r.converged, true);
  assert.equal(r.rounds, 1);
  assert.ok(r.estimateMs !== undefined && r.estimateMs >= 16_000 && r.estimateMs <= 24_000, String(r.estimateMs));
  assert.ok(r.bounds.lowerMs < 20_000 && (r.bounds.upperMs ?? 0) >= 20_000);
  assert.ok(r.keepaliveMs !== undefined && r.keepaliveMs < 20_000);
  assert.ok(clock.now() < 80_000, `one round, not ${clock.now()} ms`);
});

test('limits of 7 s and 45 s are found within 20 % too', async () => {
  for (const limit of [7_000, 45_000]) {
    const clock = virtualClock();
    const r = await clock.drive(measureIdleLimit(fakePath(clock, limit), OPTS));
    assert.ok(r.estimateMs !== undefined && Math.abs(r.estimateMs - limit) <= limit * 0.2, `${limit}: ${String(r.estimateMs)}`);
  }
});

test('no limit up to the longest wait: no estimate, the lower bound is the longest wait', async () => {
  const clock = virtualClock();
  const r = await clock.drive(measureIdleLimit(fakePath(clock, undefined), OPTS));
  assert.equal(r.estimateMs, undefined);
  assert.equal(r.bounds.upperMs, undefined);
  assert.equal(r.bounds.lowerMs, 60_000);
});

test('a round that would not fit the budget is not started', async () => {
  const clock = virtualClock();
  const path = fakePath(clock, 20_000);
  const r = await clock.drive(measureIdleLimit(path, { ...OPTS, budgetMs: 30_000 }));
  assert.equal(r.rounds, 0);
  assert.equal(path.opened, 0);
});

test('probes that cannot connect end the measurement with errors counted', async () => {
  const clock = virtualClock();
  const r = await clock.drive(measureIdleLimit(fakePath(clock, 20_000, true), OPTS));
  assert.equal(r.rounds, 1);
  assert.ok(r.errors > 0);
  assert.equal(r.estimateMs, undefined);
});

test('a server that talks during the wait (ClientAliveInterval 10 s): flagged, one round only', async () => {
  const clock = virtualClock();
  const deps: IdleProbeDeps = {
    now: clock.now,
    sleep: clock.sleep,
    open: async () => {
      await clock.sleep(100);
      const start = clock.now();
      return {
        // the server's keep-alive every 10 s is the last thing heard
        get lastHeardAt() {
          return start + Math.floor((clock.now() - start) / 10_000) * 10_000;
        },
        closed: false,
        ping: () => clock.sleep(1),
        dispose: () => undefined,
      };
    },
  };
  const r = await clock.drive(measureIdleLimit(deps, OPTS));
  assert.equal(r.serverTraffic, true);
  assert.equal(r.rounds, 1);
  assert.equal(r.estimateMs, undefined);
});
