import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from './backoff.js';
import { createSessionMachine, type SessionMachine } from './session-machine.js';
import { initialSessionState } from './session-state.js';
import type { ResetRecordDraft, SessionEffect, SessionEvent, SessionState } from './session-types.js';

/** One scripted step: at time `at`, feed `event`; expect these effects and this state name. */
type Step = [at: number, event: SessionEvent, effects: SessionEffect[] | null, name: SessionState['name']];

/** Runs a script; `null` effects means "not checked here". Returns the final state and all effects. */
function play(m: SessionMachine, steps: Step[], start = initialSessionState()): { state: SessionState; all: SessionEffect[] } {
  let state = start;
  const all: SessionEffect[] = [];
  for (const [i, [at, event, effects, name]] of steps.entries()) {
    const t = m.reduce(state, event, at);
    if (effects !== null) assert.deepEqual(t.effects, effects, `step ${i} (${event.type}) effects`);
    assert.equal(t.state.name, name, `step ${i} (${event.type}) state`);
    state = t.state;
    all.push(...t.effects);
  }
  return { state, all };
}

const machine = (r = 0.5): SessionMachine => createSessionMachine({ random: () => r });
const records = (fx: SessionEffect[]): ResetRecordDraft[] =>
  fx.flatMap((e) => (e.type === 'recordReset' ? [e.record] : []));

test('a Wi-Fi hiccup survived by the old link: candidate closed, outcome survived', () => {
  const { state, all } = play(machine(), [
    [10_000, { type: 'liveness', linkId: 1, verdict: 'suspect', lastHeardAt: 8_900 }, [{ type: 'openParallelLink', linkId: 2 }], 'suspect'],
    [11_800, { type: 'old-link-alive', linkId: 1 }, null, 'connected'],
  ]);
  assert.deepEqual(all.slice(1), [
    { type: 'closeLink', linkId: 2, reason: 'the old link answered first' },
    {
      type: 'recordReset',
      record: {
        detectedAt: 10_000,
        lastHeardAt: 8_900,
        restoredAt: 11_800,
        downtimeMs: 1_800,
        trigger: 'liveness-suspect',
        attempts: 1,
        outcome: 'survived',
        failures: [],
        probesOk: 0,
        probesFailed: 0,
        linkDied: false,
      },
    },
    { type: 'flushHeldInput', linkId: 1 },
  ]);
  assert.equal(state.linkId, 1);
  assert.equal(state.outage, undefined);
  // A late success of the abandoned candidate is closed, not adopted.
  const late = machine().reduce(state, { type: 'candidate-ready', linkId: 2 }, 12_000);
  assert.deepEqual(late.effects, [{ type: 'closeLink', linkId: 2, reason: 'no longer needed' }]);
  assert.equal(late.state.linkId, 1);
});

test('a dead link: the parallel candidate takes over, tmux is restored, held keys are flushed', () => {
  const m = machine();
  const { state, all } = play(m, [
    [10_000, { type: 'liveness', linkId: 1, verdict: 'suspect', lastHeardAt: 9_000 }, [{ type: 'openParallelLink', linkId: 2 }], 'suspect'],
    [12_000, { type: 'liveness', linkId: 1, verdict: 'dead', lastHeardAt: 9_000 }, [{ type: 'closeLink', linkId: 1, reason: 'liveness-dead' }], 'reconnecting'],
    [12_400, { type: 'attempt-succeeded', linkId: 2 }, [{ type: 'restore', linkId: 2 }], 'restoring'],
    [12_600, { type: 'restore-done', linkId: 2, newSession: false }, null, 'connected'],
  ]);
  const last = all.slice(-2);
  assert.deepEqual(last[1], { type: 'flushHeldInput', linkId: 2 });
  const [rec] = records(all);
  assert.equal(rec?.outcome, 'restored');
  assert.equal(rec?.restoredAt, 12_600);
  assert.equal(rec?.downtimeMs, 2_600);
  assert.equal(rec?.linkDied, true);
  assert.equal(rec?.attempts, 1);
  assert.equal(state.linkId, 2);
  assert.equal(m.status(state, 13_000).holdInput, false);
});

test('a reset with the path down: attempts back off, probes run, the path coming back triggers an attempt at once', () => {
  const m = machine(0.5);
  let s = play(m, [
    [0, { type: 'link-error', linkId: 1, kind: 'link', code: 'ECONNRESET', fatal: false, message: 'read ECONNRESET', lastHeardAt: 0 }, [
      { type: 'closeLink', linkId: 1, reason: 'ECONNRESET' },
      { type: 'openLink', linkId: 2 },
    ], 'reconnecting'],
    [50, { type: 'attempt-failed', linkId: 2, kind: 'connect', code: 'ENETUNREACH', fatal: false, message: 'unreachable' }, [
      { type: 'scheduleAttempt', at: 175, attempt: 2 },
    ], 'down'],
  ]).state;
  assert.equal(m.nextDeadline(s), 175);
  assert.equal(m.status(s, 100).nextAttemptInMs, 75);
  assert.equal(m.status(s, 100).holdInput, true);
  // Fail a few more times: the ceilings double (delay = 0.5 × ceiling).
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) {
    const at = m.nextDeadline(s);
    let t = m.reduce(s, { type: 'tick' }, at);
    s = t.state;
    const open = t.effects.find((e) => e.type === 'openLink');
    if (open === undefined) {
      // The deadline was a probe: answer it (failed) and continue.
      s = m.reduce(s, { type: 'probe-result', ok: false, code: 'ENETUNREACH' }, at + 10).state;
      i--;
      continue;
    }
    t = m.reduce(s, { type: 'attempt-failed', linkId: open.linkId, kind: 'connect', code: 'ETIMEDOUT', fatal: false, message: 'timed out' }, at + 100);
    s = t.state;
    delays.push((s.nextAttemptAt ?? 0) - (at + 100));
  }
  assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 8000, 15000, 15000]);
  assert.equal(s.name, 'down');
  assert.ok((s.outage?.probesFailed ?? 0) > 5);
  // The path comes back: the next probe succeeds and an attempt starts at once, whatever the backoff.
  const probeAt = s.nextProbeAt ?? 0;
  assert.ok(probeAt < (s.nextAttemptAt ?? 0) - 1_000);
  let t = m.reduce(s, { type: 'tick' }, probeAt);
  assert.deepEqual(t.effects, [{ type: 'startProbe' }]);
  const attempts = s.outage?.attempts ?? 0;
  t = m.reduce(t.state, { type: 'probe-result', ok: true }, probeAt + 5);
  assert.deepEqual(t.effects, [{ type: 'openLink', linkId: attempts + 2 }]);
  assert.equal(t.state.name, 'reconnecting');
  assert.equal(t.state.outage?.attempts, attempts + 1);
  // The reset itself and nine failed attempts.
  assert.equal(t.state.outage?.failures.length, 10);
});

test('a probe that succeeds without failing first does not bypass the backoff', () => {
  const m = createSessionMachine({ random: () => 0.99, backoffBaseMs: 10_000 });
  const s = play(m, [
    [0, { type: 'link-error', linkId: 1, kind: 'link', code: 'ECONNRESET', fatal: false, message: 'reset' }, null, 'reconnecting'],
    [100, { type: 'attempt-failed', linkId: 2, kind: 'closed-before-banner', fatal: false, message: 'closed before banner' }, null, 'down'],
    [1_000, { type: 'tick' }, [{ type: 'startProbe' }], 'down'],
    [1_010, { type: 'probe-result', ok: true }, [], 'down'],
  ]).state;
  assert.equal(s.nextAttemptAt, 100 + 9_900);
  assert.equal(m.nextDeadline(s), 2_000);
  assert.equal(s.lastProbeOk, true);
});

test('auth failure on reconnect: stopped, recorded as refused, exit 255 with the message', () => {
  const { state, all } = play(machine(), [
    [0, { type: 'link-error', linkId: 1, kind: 'link', code: 'ECONNRESET', fatal: false, message: 'reset' }, null, 'reconnecting'],
    [300, { type: 'attempt-failed', linkId: 2, kind: 'auth', fatal: true, message: 'Permission denied (publickey).' }, null, 'stopped'],
  ]);
  assert.deepEqual(all.at(-1), { type: 'exit', code: 255, message: 'Permission denied (publickey).' });
  const [rec] = records(all);
  assert.equal(rec?.outcome, 'refused');
  assert.deepEqual(rec?.failures.map((f) => f.kind), ['link', 'auth']);
  assert.equal(state.stop?.kind, 'auth');
  // Stopped is final: nothing moves it.
  const after = machine().reduce(state, { type: 'user-retry-now' }, 400);
  assert.deepEqual(after.effects, []);
  assert.equal(after.state, state);
});

test('a changed host key stops even when the transport did not flag it fatal', () => {
  const msg = 'WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!';
  const { state, all } = play(machine(), [
    [0, { type: 'liveness', linkId: 1, verdict: 'dead', lastHeardAt: 0 }, null, 'reconnecting'],
    [200, { type: 'attempt-failed', linkId: 2, kind: 'host-key-changed', fatal: false, message: msg }, null, 'stopped'],
  ]);
  assert.deepEqual(all.at(-1), { type: 'exit', code: 255, message: msg });
  assert.equal(state.stop?.reason, 'fatal');
});

test('a fatal answer to the parallel candidate waits on the old link: survived if it answers, stopped if it dies', () => {
  const steps: Step[] = [
    [0, { type: 'liveness', linkId: 1, verdict: 'suspect', lastHeardAt: 0 }, null, 'suspect'],
    [100, { type: 'attempt-failed', linkId: 2, kind: 'protocol', fatal: true, message: 'no matching key exchange method' }, [
      { type: 'notify', level: 'warn', message: 'no matching key exchange method' },
    ], 'suspect'],
  ];
  const alive = play(machine(), [...steps, [500, { type: 'old-link-alive', linkId: 1 }, null, 'connected']]);
  assert.equal(records(alive.all)[0]?.outcome, 'survived');
  assert.equal(alive.state.pendingFatal, undefined);
  const dead = play(machine(), [...steps, [2_000, { type: 'liveness', linkId: 1, verdict: 'dead', lastHeardAt: 0 }, null, 'stopped']]);
  assert.deepEqual(dead.all.at(-1), { type: 'exit', code: 255, message: 'no matching key exchange method' });
});

test('user quit while down: the outage is recorded as user-quit and the process exits', () => {
  const { state, all } = play(machine(), [
    [0, { type: 'link-error', linkId: 1, kind: 'link', code: 'ETIMEDOUT', fatal: false, message: 'timed out' }, null, 'reconnecting'],
    [50, { type: 'attempt-failed', linkId: 2, kind: 'connect', code: 'EHOSTUNREACH', fatal: false, message: 'no route' }, null, 'down'],
    [900, { type: 'user-quit' }, null, 'stopped'],
  ]);
  const tail = all.slice(-2);
  assert.equal(tail[0]?.type, 'recordReset');
  assert.equal(records(all)[0]?.outcome, 'user-quit');
  assert.equal(records(all)[0]?.restoredAt, undefined);
  assert.deepEqual(tail[1], { type: 'exit', code: 255, message: "closed at the user's request" });
  assert.equal(machine().nextDeadline(state), Infinity);
});

test('user quit while reconnecting closes the attempt in flight; while connected records nothing', () => {
  const r = play(machine(), [
    [0, { type: 'liveness', linkId: 1, verdict: 'dead', lastHeardAt: 0 }, null, 'reconnecting'],
    [10, { type: 'user-quit', exitCode: 0 }, null, 'stopped'],
  ]);
  assert.deepEqual(r.all.slice(-3, -2), [{ type: 'closeLink', linkId: 2, reason: 'user quit' }]);
  assert.deepEqual(r.all.at(-1), { type: 'exit', code: 0, message: "closed at the user's request" });
  const c = machine().reduce(initialSessionState(), { type: 'user-quit' }, 5);
  assert.deepEqual(c.effects, [
    { type: 'closeLink', linkId: 1, reason: 'user quit' },
    { type: 'exit', code: 255, message: "closed at the user's request" },
  ]);
});

test('network change or wake: check the live link; while down, attempt at once with a fresh backoff', () => {
  const m = machine();
  const c = m.reduce(initialSessionState(), { type: 'network-changed' }, 10);
  assert.deepEqual(c.effects, [{ type: 'checkLink', linkId: 1 }]);
  assert.equal(c.state.name, 'connected');
  let s = play(m, [
    [0, { type: 'liveness', linkId: 1, verdict: 'dead', lastHeardAt: 0 }, null, 'reconnecting'],
    [10, { type: 'attempt-failed', linkId: 2, kind: 'connect', fatal: false, message: 'x' }, null, 'down'],
    [20, { type: 'tick' }, null, 'down'],
  ]).state;
  s = { ...s, backoffExponent: 6, nextAttemptAt: 20_000 };
  const t = m.reduce(s, { type: 'suspend-detected', awayMs: 60_000 }, 100);
  assert.deepEqual(t.effects, [{ type: 'openLink', linkId: 3 }]);
  assert.equal(t.state.backoffExponent, 0);
  assert.equal(t.state.name, 'reconnecting');
  // While an attempt is in flight a change replaces it.
  const t2 = m.reduce(t.state, { type: 'network-changed' }, 150);
  assert.deepEqual(t2.effects, [
    { type: 'closeLink', linkId: 3, reason: 'network-changed: starting a fresh attempt' },
    { type: 'openLink', linkId: 4 },
  ]);
});

test('~r while connected: make before break, then restore on the new link', () => {
  const { state, all } = play(machine(), [
    [0, { type: 'user-retry-now' }, [{ type: 'openParallelLink', linkId: 2 }], 'suspect'],
    [300, { type: 'candidate-ready', linkId: 2 }, [
      { type: 'closeLink', linkId: 1, reason: 'replaced by a new link' },
      { type: 'restore', linkId: 2 },
    ], 'restoring'],
    [500, { type: 'restore-done', linkId: 2, newSession: false }, null, 'connected'],
  ]);
  assert.equal(records(all)[0]?.trigger, 'user-retry');
  assert.equal(state.linkId, 2);
});

test('~r while down skips the countdown', () => {
  const m = machine(0.9);
  const s = play(m, [
    [0, { type: 'liveness', linkId: 1, verdict: 'dead', lastHeardAt: 0 }, null, 'reconnecting'],
    [10, { type: 'attempt-failed', linkId: 2, kind: 'connect', fatal: false, message: 'x' }, null, 'down'],
    [20, { type: 'user-retry-now' }, [{ type: 'openLink', linkId: 3 }], 'reconnecting'],
  ]).state;
  assert.equal(s.backoffExponent, 1);
});

test('the path coming back replaces an attempt stuck since before it', () => {
  const m = machine();
  const s = play(m, [
    [0, { type: 'liveness', linkId: 1, verdict: 'dead', lastHeardAt: 0 }, null, 'reconnecting'],
    [1_000, { type: 'tick' }, [{ type: 'startProbe' }], 'reconnecting'],
    [1_500, { type: 'probe-result', ok: false, code: 'ETIMEDOUT' }, [], 'reconnecting'],
    [2_000, { type: 'tick' }, [{ type: 'startProbe' }], 'reconnecting'],
    [2_010, { type: 'probe-result', ok: true }, [
      { type: 'closeLink', linkId: 2, reason: 'the path is back: starting a fresh attempt' },
      { type: 'openLink', linkId: 3 },
    ], 'reconnecting'],
    // The stuck attempt's late failure is ignored: it is no longer the candidate.
    [2_050, { type: 'attempt-failed', linkId: 2, kind: 'connect', code: 'ETIMEDOUT', fatal: false, message: 'x' }, [], 'reconnecting'],
    [2_300, { type: 'attempt-succeeded', linkId: 3 }, [{ type: 'restore', linkId: 3 }], 'restoring'],
  ]).state;
  assert.equal(m.nextDeadline(s), Infinity);
});

test('reboot: a new session is announced and held keys are not sent to the new shell', () => {
  const { all } = play(machine(), [
    [0, { type: 'link-error', linkId: 1, kind: 'link', code: 'ECONNRESET', fatal: false, message: 'reset' }, null, 'reconnecting'],
    [5_000, { type: 'attempt-succeeded', linkId: 2 }, null, 'restoring'],
    [5_200, { type: 'restore-done', linkId: 2, newSession: true }, null, 'connected'],
  ]);
  assert.equal(records(all)[0]?.outcome, 'new-session');
  assert.ok(all.some((e) => e.type === 'discardHeldInput'));
  assert.ok(!all.some((e) => e.type === 'flushHeldInput'));
  assert.ok(all.some((e) => e.type === 'notify' && e.level === 'warn' && /new shell/.test(e.message)));
});

test('a protocol error on the live link stops at once; a link lost during restore reconnects', () => {
  const p = play(machine(), [
    [0, { type: 'link-error', linkId: 1, kind: 'protocol', fatal: true, message: 'bad packet length' }, null, 'stopped'],
  ]);
  assert.deepEqual(p.all.at(-1), { type: 'exit', code: 255, message: 'bad packet length' });
  const r = play(machine(), [
    [0, { type: 'link-error', linkId: 1, kind: 'link', code: 'EPIPE', fatal: false, message: 'x' }, null, 'reconnecting'],
    [100, { type: 'attempt-succeeded', linkId: 2 }, null, 'restoring'],
    [150, { type: 'link-error', linkId: 2, kind: 'link', code: 'ECONNRESET', fatal: false, message: 'y' }, [
      { type: 'closeLink', linkId: 2, reason: 'ECONNRESET' },
      { type: 'openLink', linkId: 3 },
    ], 'reconnecting'],
  ]);
  assert.equal(r.state.outage?.trigger, 'EPIPE');
  assert.equal(r.state.outage?.attempts, 2);
});

test('never gives up on network causes: 500 failures later it still schedules attempts under the cap', () => {
  const m = createSessionMachine({ random: seededRandom(1) });
  let s = m.reduce(initialSessionState(), { type: 'liveness', linkId: 1, verdict: 'dead', lastHeardAt: 0 }, 0).state;
  let now = 0;
  for (let i = 0; i < 500; i++) {
    const id = s.candidateId ?? -1;
    s = m.reduce(s, { type: 'attempt-failed', linkId: id, kind: 'connect', code: 'ECONNREFUSED', fatal: false, message: 'refused' }, now).state;
    assert.equal(s.name, 'down');
    assert.ok((s.nextAttemptAt ?? Infinity) - now < 30_000);
    now = s.nextAttemptAt ?? now;
    s = m.reduce({ ...s, probeInFlight: true }, { type: 'tick' }, now).state;
    assert.equal(s.name, 'reconnecting');
  }
  assert.equal(s.outage?.attempts, 501);
  assert.equal(s.outage?.failures.length, 16);
  assert.equal(s.outage?.failures[0]?.at, 0);
});
