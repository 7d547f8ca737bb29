import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from './backoff.js';
import { createSessionMachine, type SessionMachine } from './session-machine.js';
import { initialSessionState } from './session-state.js';
import { NO_EVIDENCE } from './outage-evidence.js';
import { downtimeOf } from './session-outage.js';
import type { EndedOutage, SessionEffect, SessionEvent, SessionState } from './session-types.js';

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
/** The outages recorded, with what the history reads of their end. */
const records = (fx: SessionEffect[]) =>
  fx.flatMap((e) => (e.type === 'recordReset' ? [view(e.outage)] : []));
const view = (o: EndedOutage) => ({
  ...o,
  outcome: o.end.outcome,
  restoredAt: o.end.restored ? o.end.at : undefined,
  downtimeMs: downtimeOf(o),
  linkDied: o.downAt !== undefined,
});

const pathProbe = (probeId: number): SessionEffect => ({ type: 'startProbe', probeId, purpose: 'path', timeoutMs: 1_000 });

test('a Wi-Fi hiccup survived by the old link: the path answers, a parallel link is tried and closed, outcome survived', () => {
  const { state, all } = play(machine(), [
    // suspect: is the path itself silent? a probe every 100 ms for at least 400 ms
    [10_000, { type: 'liveness', linkId: 1, verdict: 'suspect', lastHeardAt: 8_900 }, [pathProbe(1)], 'suspect'],
    [10_100, { type: 'tick' }, [pathProbe(2)], 'suspect'],
    // the host answers: make before break
    [10_150, { type: 'probe-result', probeId: 2, ok: true }, [{ type: 'openParallelLink', linkId: 2 }], 'suspect'],
    [10_300, { type: 'tick' }, [], 'suspect'],
    [11_800, { type: 'old-link-alive', linkId: 1 }, null, 'connected'],
  ]);
  assert.deepEqual(all.slice(3), [
    { type: 'closeLink', linkId: 2, reason: 'the old link answered first' },
    {
      type: 'recordReset',
      outage: {
        detectedAt: 10_000,
        lastHeardAt: 8_900,
        trigger: 'liveness-suspect',
        attempts: 1,
        failures: [],
        probesOk: 0,
        probesFailed: 0,
        downAt: undefined,
        evidence: NO_EVIDENCE,
        end: { at: 11_800, outcome: 'survived', restored: true },
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

test('a stall shorter than SURVIVED_RECORD_MS (TCP recovering a lost packet) records nothing', () => {
  const { state, all } = play(machine(), [
    [10_000, { type: 'liveness', linkId: 1, verdict: 'suspect', lastHeardAt: 9_900 }, [pathProbe(1)], 'suspect'],
    [10_001, { type: 'probe-result', probeId: 1, ok: true }, [{ type: 'openParallelLink', linkId: 2 }], 'suspect'],
    [10_100, { type: 'candidate-ready', linkId: 2 }, [], 'suspect'],
    [10_200, { type: 'old-link-alive', linkId: 1 }, [
      { type: 'closeLink', linkId: 2, reason: 'the old link answered first' },
      { type: 'flushHeldInput', linkId: 1 },
    ], 'connected'],
  ]);
  assert.deepEqual(records(all), []);
  assert.equal(state.outage, undefined);
  assert.equal(machine().nextDeadline(state), Infinity);
});

test('a silent path: the suspect link is dead when no probe answered within the check, or at once without a route', () => {
  const m = machine();
  const { state, all } = play(m, [
    [10_000, { type: 'liveness', linkId: 1, verdict: 'suspect', lastHeardAt: 9_600, rtoMs: 5 }, [pathProbe(1)], 'suspect'],
    [10_100, { type: 'tick' }, [pathProbe(2)], 'suspect'],
    [10_200, { type: 'tick' }, [pathProbe(3)], 'suspect'],
    [10_300, { type: 'tick' }, [pathProbe(4)], 'suspect'],
    // 400 ms (the RTT is small) and nothing answered: dead, and the outage's own probes start afresh
    [10_400, { type: 'tick' }, [{ type: 'closeLink', linkId: 1, reason: 'liveness-dead' }, { type: 'openLink', linkId: 2 }], 'reconnecting'],
    // a path probe's late answer belongs to the suspect phase
    [10_450, { type: 'probe-result', probeId: 4, ok: true }, [], 'reconnecting'],
  ]);
  assert.equal(state.outage?.downAt, 10_400);
  assert.equal(state.outage?.detectedAt, 10_000);
  assert.equal(all.filter((e) => e.type === 'openParallelLink').length, 0);
  assert.equal(m.nextDeadline(state), 10_450);
  // a slow path gets its RTO for the answer
  const slow = m.reduce(initialSessionState(), { type: 'liveness', linkId: 1, verdict: 'suspect', lastHeardAt: 0, rtoMs: 900 }, 1_000);
  assert.equal(slow.state.pathCheckUntil, 1_900);
  // no route: no need to wait
  play(m, [
    [10_000, { type: 'liveness', linkId: 1, verdict: 'suspect', lastHeardAt: 9_600 }, [pathProbe(1)], 'suspect'],
    [10_001, { type: 'probe-result', probeId: 1, ok: false, code: 'ENETUNREACH' }, [
      { type: 'closeLink', linkId: 1, reason: 'liveness-dead' },
      { type: 'openLink', linkId: 2 },
    ], 'reconnecting'],
  ]);
});

test('a ready parallel link waits for the old link\'s verdict: adopted when it is dead, at once on ~r', () => {
  const m = machine();
  const steps: Step[] = [
    [10_000, { type: 'liveness', linkId: 1, verdict: 'suspect', lastHeardAt: 9_000 }, [pathProbe(1)], 'suspect'],
    [10_010, { type: 'probe-result', probeId: 1, ok: true }, [{ type: 'openParallelLink', linkId: 2 }], 'suspect'],
    [10_100, { type: 'candidate-ready', linkId: 2 }, [], 'suspect'],
  ];
  const dead = play(m, [...steps, [13_000, { type: 'liveness', linkId: 1, verdict: 'dead', lastHeardAt: 9_000 }, [
    { type: 'closeLink', linkId: 1, reason: 'liveness-dead' },
    { type: 'restore', linkId: 2 },
  ], 'restoring']]);
  assert.equal(dead.state.linkId, 2);
  play(m, [...steps, [10_200, { type: 'user-retry-now' }, [
    { type: 'closeLink', linkId: 1, reason: 'replaced by a new link' },
    { type: 'restore', linkId: 2 },
  ], 'restoring']]);
});

test('a dead link: the parallel candidate takes over, tmux is restored, held keys are flushed', () => {
  const m = machine();
  const { state, all } = play(m, [
    [10_000, { type: 'liveness', linkId: 1, verdict: 'suspect', lastHeardAt: 9_000 }, [pathProbe(1)], 'suspect'],
    [10_010, { type: 'probe-result', probeId: 1, ok: true }, [{ type: 'openParallelLink', linkId: 2 }], 'suspect'],
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
  assert.equal(s.nextAttemptAt, 175);
  assert.equal(m.nextDeadline(s), 50, 'the first probe is due before it');
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
      s = m.reduce(s, { type: 'probe-result', probeId: s.probeSeq, ok: false, code: 'ENETUNREACH' }, at + 10).state;
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
  assert.deepEqual(t.effects, [{ type: 'startProbe', probeId: s.probeSeq + 1, purpose: 'port', timeoutMs: 1_000 }]);
  const attempts = s.outage?.attempts ?? 0;
  t = m.reduce(t.state, { type: 'probe-result', probeId: s.probeSeq + 1, ok: true }, probeAt + 5);
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
    [200, { type: 'tick' }, [{ type: 'startProbe', probeId: 1, purpose: 'port', timeoutMs: 1_000 }], 'down'],
    [210, { type: 'probe-result', probeId: 1, ok: true }, [], 'down'],
  ]).state;
  assert.equal(s.nextAttemptAt, 100 + 9_900);
  // a probe got through: the attempts take it from there, probes slow down to one a second
  assert.equal(m.nextDeadline(s), 1_210);
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
    [10, { type: 'probe-result', probeId: 1, ok: true }, [{ type: 'openParallelLink', linkId: 2 }], 'suspect'],
    [100, { type: 'attempt-failed', linkId: 2, kind: 'protocol', fatal: true, message: 'no matching key exchange method' }, [
      { type: 'notify', level: 'warn', message: 'no matching key exchange method' },
    ], 'suspect'],
  ];
  const alive = play(machine(), [...steps, [1_500, { type: 'old-link-alive', linkId: 1 }, null, 'connected']]);
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
  const wake = { timerLateMs: 30_000, wallAheadOfMonotonicMs: 30_000, detectedAt: 1_000 };
  const w = m.reduce(initialSessionState(), { type: 'suspend-detected', drift: wake, awayMs: 30_000 }, 10);
  assert.deepEqual(w.effects, [{ type: 'checkLink', linkId: 1 }]);
  assert.equal(w.state.outage, undefined);
  assert.deepEqual(w.state.leadingFacts.map((f) => f.fact), [{ kind: 'drift', drift: wake }], 'kept for an outage the wake may start');
  let s = play(m, [
    [0, { type: 'liveness', linkId: 1, verdict: 'dead', lastHeardAt: 0 }, null, 'reconnecting'],
    [10, { type: 'attempt-failed', linkId: 2, kind: 'connect', fatal: false, message: 'x' }, null, 'down'],
    [20, { type: 'tick' }, null, 'down'],
  ]).state;
  s = { ...s, backoffExponent: 6, nextAttemptAt: 20_000 };
  const drift = { timerLateMs: 60_000, wallAheadOfMonotonicMs: 59_000, detectedAt: 1_000 };
  const t = m.reduce(s, { type: 'suspend-detected', drift, awayMs: 60_000 }, 100);
  assert.deepEqual(t.effects, [{ type: 'openLink', linkId: 3 }]);
  assert.deepEqual(t.state.outage?.evidence.drift, drift, 'the wake\'s drift is in the outage it interrupted');
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

const probe = (probeId: number): SessionEffect => ({ type: 'startProbe', probeId, purpose: 'port', timeoutMs: 1_000 });

test('the path coming back starts a fresh attempt beside one stuck since before it; the first through wins', () => {
  const m = machine();
  const steps: Step[] = [
    [0, { type: 'liveness', linkId: 1, verdict: 'dead', lastHeardAt: 0 }, [{ type: 'closeLink', linkId: 1, reason: 'liveness-dead' }, { type: 'openLink', linkId: 2 }], 'reconnecting'],
    // young outage: a probe every 100 ms, overlapping (a dropped SYN waits a second for its retry)
    [100, { type: 'tick' }, [probe(1)], 'reconnecting'],
    [200, { type: 'tick' }, [probe(2)], 'reconnecting'],
    [300, { type: 'tick' }, [probe(3)], 'reconnecting'],
    [1_100, { type: 'probe-result', probeId: 1, ok: false, code: 'ETIMEDOUT' }, [], 'reconnecting'],
    // the path is back: attempt 2 was opened into the outage, so attempt 3 starts beside it (2 is not closed)
    [1_105, { type: 'probe-result', probeId: 3, ok: true }, [{ type: 'openLink', linkId: 3 }], 'reconnecting'],
    // an older probe's late failure does not undo that, nor does a second success start a third attempt
    [1_150, { type: 'probe-result', probeId: 2, ok: false, code: 'ETIMEDOUT' }, [], 'reconnecting'],
  ];
  const mid = play(m, steps).state;
  assert.equal(mid.spareId, 3);
  assert.equal(mid.candidateId, 2);
  assert.equal(mid.outage?.attempts, 2);
  // the fresh attempt wins: the stuck one is closed
  const fresh = play(m, [[1_300, { type: 'attempt-succeeded', linkId: 3 }, [
    { type: 'closeLink', linkId: 2, reason: 'another attempt got through first' },
    { type: 'restore', linkId: 3 },
  ], 'restoring']], mid);
  assert.equal(fresh.state.linkId, 3);
  assert.equal(m.nextDeadline(fresh.state), Infinity);
  // ... or the old one gets through first (its SYN's retry made it): the fresh one is closed
  const old = play(m, [[1_200, { type: 'attempt-succeeded', linkId: 2 }, [
    { type: 'closeLink', linkId: 3, reason: 'another attempt got through first' },
    { type: 'restore', linkId: 2 },
  ], 'restoring']], mid);
  assert.equal(old.state.linkId, 2);
  // ... or the stuck one times out: the fresh one carries on alone, no backoff
  const timedOut = play(m, [
    [10_000, { type: 'attempt-failed', linkId: 2, kind: 'connect', code: 'ETIMEDOUT', fatal: false, message: 'x' }, [], 'reconnecting'],
    [10_100, { type: 'attempt-succeeded', linkId: 3 }, [{ type: 'restore', linkId: 3 }], 'restoring'],
  ], mid);
  assert.equal(timedOut.state.outage?.failures.length, 1);
  // both fail: back off as usual
  const both = play(m, [
    [1_300, { type: 'attempt-failed', linkId: 3, kind: 'connect', code: 'ECONNREFUSED', fatal: false, message: 'x' }, [], 'reconnecting'],
    [1_400, { type: 'attempt-failed', linkId: 2, kind: 'connect', code: 'ECONNREFUSED', fatal: false, message: 'y' }, null, 'down'],
  ], mid);
  assert.equal(both.state.candidateId, undefined);
  assert.equal(both.state.spareId, undefined);
});

test('a first probe that gets through also frees a stuck attempt; an attempt opened after the probe is left alone', () => {
  const m = machine();
  // the fault ended before any probe failed (the 10 s case: no failure → success edge was ever seen)
  const s = play(m, [
    [0, { type: 'liveness', linkId: 1, verdict: 'dead', lastHeardAt: 0 }, null, 'reconnecting'],
    [100, { type: 'tick' }, [probe(1)], 'reconnecting'],
    [102, { type: 'probe-result', probeId: 1, ok: true }, [{ type: 'openLink', linkId: 3 }], 'reconnecting'],
  ]).state;
  assert.equal(s.spareId, 3);
  // a network change replaces both with one fresh attempt
  const t = m.reduce(s, { type: 'network-changed' }, 150);
  assert.deepEqual(t.effects, [
    { type: 'closeLink', linkId: 2, reason: 'network-changed: starting a fresh attempt' },
    { type: 'closeLink', linkId: 3, reason: 'network-changed: starting a fresh attempt' },
    { type: 'openLink', linkId: 4 },
  ]);
  // attempt 4 was opened after probe 1: its late success changes nothing
  const u = m.reduce(t.state, { type: 'probe-result', probeId: 1, ok: true }, 160);
  assert.deepEqual(u.effects, []);
  assert.equal(u.state.spareId, undefined);
});

test('probe cadence: every 50 ms in an outage\'s first 30 s, at most 24 in flight, 100 ms to 60 s, then once a second', () => {
  const m = machine();
  let s = m.reduce(initialSessionState(), { type: 'link-error', linkId: 1, kind: 'link', code: 'ECONNRESET', fatal: false, message: 'reset' }, 0).state;
  const started: number[] = [];
  // nothing answers (a blackhole): probes keep their cadence until 24 are in flight
  for (let now = 0; now < 2_000; now += 10) {
    const t = m.reduce(s, { type: 'tick' }, now);
    s = t.state;
    for (const e of t.effects) if (e.type === 'startProbe') started.push(now);
  }
  assert.deepEqual(started.slice(0, 4), [50, 100, 150, 200]);
  assert.equal(started.length, 24);
  assert.equal(m.nextDeadline(s), Infinity, 'no tick while 24 probes are in flight');
  s = m.reduce(s, { type: 'probe-result', probeId: 1, ok: false, code: 'ETIMEDOUT' }, 2_100).state;
  assert.equal(m.nextDeadline(s), 1_250);
  const aged = (ms: number): SessionState => ({ ...s, outage: s.outage === undefined ? undefined : { ...s.outage, detectedAt: -ms }, probesInFlight: 0 });
  assert.equal(m.reduce(aged(40_000), { type: 'tick' }, 2_200).state.nextProbeAt, 2_300);
  const old = m.reduce(aged(120_000), { type: 'tick' }, 2_200);
  assert.deepEqual(old.effects, [probe(25)]);
  assert.equal(old.state.nextProbeAt, 3_200);
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
    s = m.reduce({ ...s, probesInFlight: 8 }, { type: 'tick' }, now).state;
    assert.equal(s.name, 'reconnecting');
  }
  assert.equal(s.outage?.attempts, 501);
  assert.equal(s.outage?.failures.length, 16);
  assert.equal(s.outage?.failures[0]?.at, 0);
});
