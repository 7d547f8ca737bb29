import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_FAULTS, FaultSchedule, MIN_UP_MS } from './faults.js';
import type { FaultTarget, FaultTimers } from './faults.js';
import { parseDemoArgs } from './index.js';

/** Fake timers: run() advances time and fires what is due, in order. */
function fakeTimers(): FaultTimers & { now: number; run(untilMs: number): void; pending(): number } {
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const t = {
    now: 0,
    setTimeout(fn: () => void, ms: number): unknown {
      const id = ++seq;
      timers.set(id, { at: t.now + ms, fn });
      return id;
    },
    clearTimeout(h: unknown): void {
      timers.delete(h as number);
    },
    run(untilMs: number): void {
      for (;;) {
        const next = [...timers.entries()].filter(([, v]) => v.at <= untilMs).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        timers.delete(next[0]);
        t.now = next[1].at;
        next[1].fn();
      }
      t.now = untilMs;
    },
    pending: () => timers.size,
  };
  return t;
}

function recorder(clock: { now: number }): FaultTarget & { log: string[] } {
  const log: string[] = [];
  const at = (s: string): void => {
    log.push(`${clock.now} ${s}`);
  };
  return {
    log,
    reset: () => at('reset'),
    inject: (f) => at(f),
    heal: () => at('heal'),
    stopServer: () => at('stop-server'),
  };
}

test('the rotation breaks every interval, each lasting fault healed, in the documented order', () => {
  const timers = fakeTimers();
  const target = recorder(timers);
  const s = new FaultSchedule(target, 8000, timers);
  s.start();
  timers.run(7999);
  assert.deepEqual(target.log, []);
  timers.run(40_000);
  assert.deepEqual(target.log, [
    '8000 reset',
    '16000 blackhole',
    '21000 heal',
    '24000 refuse',
    '24000 stop-server',
    '28000 heal',
    '32000 close-before-banner',
    '32000 reset',
    '35000 heal',
    '40000 reset',
  ]);
  s.stop();
  assert.equal(timers.pending(), 0);
  assert.equal(target.log.at(-1), '40000 heal', 'stop() ends any lasting fault');
});

test('a short interval still leaves the link up between two faults', () => {
  const timers = fakeTimers();
  const target = recorder(timers);
  const s = new FaultSchedule(target, 1000, timers, DEMO_FAULTS.slice(1, 2));
  s.start();
  timers.run(20_000);
  const starts = target.log.filter((l) => l.endsWith('blackhole')).map((l) => Number(l.split(' ')[0]));
  const heals = target.log.filter((l) => l.endsWith('heal')).map((l) => Number(l.split(' ')[0]));
  for (let i = 1; i < starts.length; i++) assert.ok((starts[i] ?? 0) - (heals[i - 1] ?? 0) >= MIN_UP_MS, target.log.join('\n'));
  s.stop();
});

test('--every 0 never breaks the link; stop() before the first break arms nothing', () => {
  const timers = fakeTimers();
  const target = recorder(timers);
  const s = new FaultSchedule(target, 0, timers);
  s.start();
  timers.run(100_000);
  assert.deepEqual(target.log, []);
  const t2 = fakeTimers();
  const r2 = recorder(t2);
  const s2 = new FaultSchedule(r2, 8000, t2);
  s2.start();
  s2.stop();
  t2.run(100_000);
  assert.deepEqual(r2.log, ['0 heal']);
});

test('demo options: --every N, --every=N, help, errors', () => {
  assert.deepEqual(parseDemoArgs([]), { everySec: 8 });
  assert.deepEqual(parseDemoArgs(['--every', '3']), { everySec: 3 });
  assert.deepEqual(parseDemoArgs(['--every=0']), { everySec: 0 });
  assert.equal(parseDemoArgs(['-h']), 'help');
  assert.throws(() => parseDemoArgs(['--every']), /--every wants a number/);
  assert.throws(() => parseDemoArgs(['--every', '0.5']), /--every wants a number/);
  assert.throws(() => parseDemoArgs(['--every', 'x']), /--every wants a number/);
  assert.throws(() => parseDemoArgs(['--nope']), (e: Error & { kind?: string }) => e.kind === 'usage' && /unknown option '--nope'/.test(e.message));
});
