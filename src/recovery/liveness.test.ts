import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LivenessEstimator, type LivenessVerdict } from './liveness.js';
import { SESSION_LIVENESS } from './liveness-tuning.js';
import { rto, updateRtt } from './rtt.js';

type Event = [at: number, verdict: LivenessVerdict];

/**
 * A fake clock driving the estimator the way the owner's loop will: wake at nextDeadline(), tick,
 * and let a fake link answer pings after `rttMs` (null = the link is dead).
 */
function drive(est: LivenessEstimator, until: number, rttMs: number | null, from = 0): Event[] {
  const events: Event[] = [];
  const replies: number[] = [];
  let now = from;
  for (let guard = 0; guard < 100_000; guard++) {
    const next = Math.min(est.nextDeadline(), replies[0] ?? Infinity);
    if (next > until) break;
    now = Math.max(now, next);
    if (replies[0] !== undefined && replies[0] <= now) {
      replies.shift();
      est.onPingReply(now, rttMs ?? 0);
      continue;
    }
    const v = est.tick(now);
    events.push([now, v]);
    if (v === 'send-ping' && rttMs !== null) replies.push(now + rttMs);
  }
  return events;
}

test('srtt/rttvar follow RFC 6298 to the digit', () => {
  let e = updateRtt(undefined, 100);
  assert.deepEqual(e, { srtt: 100, rttvar: 50 });
  e = updateRtt(e, 200);
  assert.deepEqual(e, { srtt: 112.5, rttvar: 62.5 });
  e = updateRtt(e, 50);
  assert.deepEqual(e, { srtt: 104.6875, rttvar: 62.5 });
  assert.equal(rto(e), 354.6875);

  const est = new LivenessEstimator(0);
  est.onPingReply(10, 100);
  est.onPingReply(20, 200);
  est.onPingReply(30, 50);
  const s = est.snapshot();
  assert.equal(s.srtt, 104.6875);
  assert.equal(s.rttvar, 62.5);
  assert.equal(s.lastHeardAt, 30);
  // 354.7 ms is under the 1 s floor.
  assert.equal(s.suspectAfterMs, 1000);
});

test('a slow path raises the suspect timeout to srtt + 4·rttvar', () => {
  const est = new LivenessEstimator(0);
  est.onPingReply(0, 800); // srtt 800, rttvar 400
  est.onPingReply(0, 800); // rttvar 300
  assert.equal(est.suspectAfterMs, 2000);
  assert.equal(est.deadAfterMs, 6000);
  est.onPingReply(0, 4000); // rttvar 0.75·300 + 0.25·3200 = 1025, srtt 1200
  assert.equal(est.snapshot().srtt, 1200);
  assert.equal(est.suspectAfterMs, 1200 + 4 * 1025);
  // Three periods would be 15.9 s: the cap wins.
  assert.equal(est.deadAfterMs, 15_000);
});

test('typing into silence: ping at once, suspect after 1 s, dead after 3 periods', () => {
  const est = new LivenessEstimator(0);
  est.onUserInput(5_000);
  assert.equal(est.snapshot().active, true);
  const events = drive(est, 20_000, null, 5_000);
  assert.deepEqual(events, [
    [5_000, 'send-ping'],
    [6_000, 'suspect'],
    [6_000, 'send-ping'],
    [7_000, 'send-ping'],
    [8_000, 'dead'],
  ]);
  assert.equal(est.nextDeadline(), Infinity);
  assert.equal(est.snapshot().state, 'dead');
  assert.equal(est.snapshot().pingsUnanswered, 3);
});

test('suspect while typing uses max(1 s, srtt + 4·rttvar) from the first unanswered key', () => {
  const est = new LivenessEstimator(0);
  est.onPingReply(0, 600);
  est.onPingReply(0, 600); // srtt 600, rttvar 225 -> 1500
  assert.equal(est.suspectAfterMs, 1500);
  est.onUserInput(10_000);
  est.onUserInput(10_400); // later keys do not move the start of the silence
  const events = drive(est, 20_000, null, 10_000);
  assert.deepEqual(events.filter(([, v]) => v !== 'send-ping'), [
    [11_500, 'suspect'],
    [14_500, 'dead'],
  ]);
  // Slow path: no grace for the echo, the ping goes at once.
  assert.deepEqual(events[0], [10_000, 'send-ping']);
});

test('echoed typing on a fast path costs no pings and never goes suspect', () => {
  const est = new LivenessEstimator(0);
  est.onPingReply(0, 2); // srtt 2, rttvar 1: rto 6 ms; echo grace (1000 - 6) / 2 = 497 ms
  for (let t = 1_000; t < 10_000; t += 150) {
    est.onUserInput(t);
    assert.equal(est.nextDeadline(), t + 497);
    assert.equal(est.onData(t + 3), false);
  }
  assert.equal(est.tick(10_000), 'ok');
  // Idle again: next ping a keep-alive after the last traffic.
  assert.equal(est.nextDeadline(), 9_853 + 25_000);
});

test('keys nobody echoes (a password prompt): the ping answers for the link', () => {
  const est = new LivenessEstimator(0);
  est.onPingReply(0, 20); // rto 60: grace 470 ms
  est.onUserInput(1_000);
  const events = drive(est, 30_000, 20, 1_000);
  assert.deepEqual(events.slice(0, 1), [[1_470, 'send-ping']]);
  assert.ok(events.every(([, v]) => v === 'send-ping'), JSON.stringify(events));
  assert.equal(est.snapshot().active, false);
});

test('idle silence is never suspect: pings every 25 s keep it ok for an hour', () => {
  const est = new LivenessEstimator(0);
  assert.equal(est.tick(24_999), 'ok');
  assert.equal(est.nextDeadline(), 25_000);
  const events = drive(est, 3_600_000, 30);
  assert.ok(events.every(([, v]) => v === 'send-ping'));
  // A ping 25 s after the previous answer: 3600 / 25.03 ≈ 143 pings per idle hour.
  assert.equal(events.length, 143);
  assert.deepEqual(events.slice(0, 2), [
    [25_000, 'send-ping'],
    [50_030, 'send-ping'],
  ]);
  assert.equal(est.snapshot().state, 'ok');
  assert.equal(est.snapshot().longestSurvivedSilenceMs, 25_000);
});

test('idle ping unanswered: probe every period, suspect after one, dead after three', () => {
  const est = new LivenessEstimator(0);
  const events = drive(est, 100_000, null);
  assert.deepEqual(events, [
    [25_000, 'send-ping'],
    [26_000, 'suspect'],
    [26_000, 'send-ping'],
    [27_000, 'send-ping'],
    [28_000, 'dead'],
  ]);
});

test('an answer after suspect reports the old link alive, once', () => {
  const est = new LivenessEstimator(0);
  est.onUserInput(0);
  assert.equal(est.tick(0), 'send-ping');
  assert.equal(est.onData(500), false); // not suspect yet
  est.onUserInput(1_000);
  assert.equal(est.tick(1_000), 'send-ping');
  assert.equal(est.tick(2_000), 'suspect');
  assert.equal(est.snapshot().state, 'suspect');
  assert.equal(est.onPingReply(2_300, 1_300), true);
  assert.equal(est.snapshot().state, 'ok');
  // The answer that ended the stall is not an RTT sample (it measured the stall).
  assert.equal(est.snapshot().srtt, undefined);
  assert.equal(est.onPingReply(2_500, 40), false);
  assert.equal(est.snapshot().srtt, 40);
  assert.equal(est.onData(2_400), false);
});

test('idle interval honours ServerAliveInterval and the learned bound', () => {
  assert.equal(new LivenessEstimator(0).keepaliveMs, 25_000);
  assert.equal(new LivenessEstimator(0, { serverAliveIntervalMs: 10_000 }).keepaliveMs, 10_000);
  assert.equal(new LivenessEstimator(0, { serverAliveIntervalMs: 60_000 }).keepaliveMs, 25_000);
  // A learned bound replaces the 25 s default (design: "tether now pings every 120 s on this host").
  assert.equal(new LivenessEstimator(0, { learnedBoundMs: 240_000 }).keepaliveMs, 120_000);
  assert.equal(new LivenessEstimator(0, { learnedBoundMs: 30_000 }).keepaliveMs, 15_000);
  assert.equal(new LivenessEstimator(0, { learnedBoundMs: 6_000 }).keepaliveMs, 5_000);
  assert.equal(
    new LivenessEstimator(0, { learnedBoundMs: 240_000, serverAliveIntervalMs: 60_000 }).keepaliveMs,
    60_000,
  );
  assert.equal(
    new LivenessEstimator(0, { learnedBoundMs: 240_000, learnedKeepaliveMs: 90_000 }).keepaliveMs,
    90_000,
  );
  const est = new LivenessEstimator(0, { learnedBoundMs: 30_000 });
  assert.deepEqual(drive(est, 31_000, 10), [[15_000, 'send-ping'], [30_010, 'send-ping']]);
  assert.equal(est.snapshot().keepaliveMs, 15_000);
});

test('ServerAliveCountMax: dead after that many missed periods, not capped', () => {
  const est = new LivenessEstimator(0, { serverAliveIntervalMs: 5_000, serverAliveCountMax: 2 });
  const events = drive(est, 100_000, null);
  assert.deepEqual(events, [
    [5_000, 'send-ping'],
    [6_000, 'suspect'],
    [6_000, 'send-ping'],
    [7_000, 'dead'],
  ]);
  const slow = new LivenessEstimator(0, { serverAliveIntervalMs: 5_000, serverAliveCountMax: 10, initialRtt: { srtt: 1000, rttvar: 250 } });
  assert.equal(slow.suspectAfterMs, 2000);
  assert.equal(slow.deadAfterMs, 20_000);
  // Without ServerAliveInterval the same path is capped at 15 s... or 3 periods when lower.
  assert.equal(new LivenessEstimator(0, { initialRtt: { srtt: 1000, rttvar: 250 } }).deadAfterMs, 6_000);
});

test('restart keeps the RTT and starts the timers over', () => {
  const est = new LivenessEstimator(0);
  est.onPingReply(100, 300);
  est.onUserInput(200);
  est.tick(200);
  assert.equal(est.tick(1_200), 'suspect');
  est.restart(5_000);
  const s = est.snapshot();
  assert.equal(s.srtt, 300);
  assert.equal(s.rttvar, 150);
  assert.equal(s.state, 'ok');
  assert.equal(s.silentSince, undefined);
  assert.equal(s.lastHeardAt, 5_000);
  assert.equal(est.nextDeadline(), 30_000);
});

test('pings are at least 100 ms apart however fast the key bursts', () => {
  const est = new LivenessEstimator(0);
  const pings: number[] = [];
  for (let t = 1_000; t < 2_000; t += 20) {
    est.onUserInput(t);
    while (est.nextDeadline() <= t) if (est.tick(t) === 'send-ping') pings.push(t);
    est.onData(t + 10);
  }
  assert.ok(pings.length >= 9 && pings.length <= 10, `${pings.length} pings`);
  for (let i = 1; i < pings.length; i++) assert.ok((pings[i] ?? 0) - (pings[i - 1] ?? 0) >= 100);
});

test('expectReply (network changed, woke up) pings at once and judges the answer like typed keys', () => {
  const est = new LivenessEstimator(0);
  est.onPingReply(0, 2);
  est.expectReply(40_000);
  assert.equal(est.nextDeadline(), 40_000);
  assert.deepEqual(drive(est, 60_000, null, 40_000), [
    [40_000, 'send-ping'],
    [41_000, 'suspect'],
    [41_000, 'send-ping'],
    [42_000, 'send-ping'],
    [43_000, 'dead'],
  ]);
});

test('session tuning: suspect after 400 ms; dead after 3.5 s on a busy link, after 1 s when keys follow an idle gap', () => {
  const busy = new LivenessEstimator(0, { ...SESSION_LIVENESS, initialRtt: { srtt: 1, rttvar: 0.5 } });
  busy.onData(9_000);
  busy.onUserInput(10_000);
  assert.equal(busy.snapshot().suspectAfterMs, 400);
  assert.equal(busy.deadAfterMs, 3_500);
  const verdicts: [number, string][] = [];
  for (let now = 10_000; now <= 14_000; now = Math.max(now + 1, Math.min(busy.nextDeadline(), 14_000))) {
    const v = busy.tick(now);
    if (v === 'suspect' || v === 'dead') verdicts.push([now, v]);
    if (busy.nextDeadline() === Infinity) break;
  }
  assert.deepEqual(verdicts, [[10_400, 'suspect'], [13_500, 'dead']]);
  const idle = new LivenessEstimator(0, { ...SESSION_LIVENESS, initialRtt: { srtt: 1, rttvar: 0.5 } });
  idle.onData(1_000);
  idle.onUserInput(7_000);
  assert.equal(idle.deadAfterMs, 1_000);
  // an idle ping's silence is judged like a busy link (a lossy path must not kill an idle link)
  const ping = new LivenessEstimator(0, { ...SESSION_LIVENESS, initialRtt: { srtt: 1, rttvar: 0.5 } });
  ping.onPingSent(25_000);
  ping.onUserInput(25_100);
  assert.equal(ping.deadAfterMs, 3_500);
});
