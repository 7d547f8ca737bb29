import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttemptResult } from '../diagnosis/evidence.js';
import { MAX_ATTEMPT_EVIDENCE, NO_EVIDENCE, addFact, wantsIcmp, type OutageEvidence } from './outage-evidence.js';

const attempt = (e: OutageEvidence, startedAt: number, durationMs: number, result: AttemptResult = 'timeout'): OutageEvidence =>
  addFact(e, { kind: 'attempt', attempt: { result, startedAt, durationMs } });
const icmp = (e: OutageEvidence, sentAt: number, status: number): OutageEvidence => addFact(e, { kind: 'icmp', sentAt, status });

test('a ping answered while the port keeps failing: the host is reachable', () => {
  let e = attempt(NO_EVIDENCE, 1000, 1000);
  e = icmp(e, 2000, 0);
  assert.equal(e.icmpReachable, undefined, 'not yet: no port failure after the ping was sent');
  assert.equal(wantsIcmp(e), true);
  e = attempt(e, 2100, 1000);
  assert.equal(e.icmpReachable, true);
  assert.equal(wantsIcmp(e), false, 'once confirmed, no more pings');
});

test('a port failure that began after the ping and ended before its answer confirms it too', () => {
  const e = icmp(attempt(NO_EVIDENCE, 2010, 2, 'refused'), 2000, 0);
  assert.equal(e.icmpReachable, true);
});

test('a ping answered just as a blackhole lifts says nothing: the next probe reaches sshd', () => {
  let e = icmp(NO_EVIDENCE, 500, 1);
  assert.equal(e.icmpReachable, false);
  e = attempt(e, 1000, 1000);
  e = icmp(e, 2000, 0); // path back: the ping got through
  e = addFact(e, { kind: 'port-answered' });
  e = attempt(e, 2500, 1); // a straggler after the port answered confirms nothing
  assert.equal(e.icmpReachable, false);
  assert.equal(wantsIcmp(e), false, 'the port is back: a ping says nothing more');
  let fresh = icmp(NO_EVIDENCE, 500, 1);
  fresh = attempt(fresh, 1000, 1000);
  fresh = icmp(fresh, 2000, 0);
  fresh = attempt(fresh, 2010, 30, 'ok');
  assert.equal(fresh.icmpReachable, false, 'the only answered ping came with the path back');
});

test('an answer after the port is back is ignored; ping failing to run is not "unreachable"', () => {
  let e = addFact(NO_EVIDENCE, { kind: 'port-answered' });
  e = icmp(e, 100, 0);
  e = attempt(e, 200, 1);
  assert.equal(e.icmpReachable, undefined);
  assert.equal(icmp(NO_EVIDENCE, 100, 2).icmpReachable, undefined);
  assert.equal(icmp(NO_EVIDENCE, 100, -1).icmpReachable, undefined);
});

test('overlapping probes: a ping answered before later pings does not lose its confirmation to them', () => {
  let e = NO_EVIDENCE;
  // a probe every 100 ms, each failing a second after its start, each failure asking a ping that is answered
  for (let start = 0; start < 3_000; start += 100) e = icmp(attempt(e, start, 1_000), start + 1_000, 0);
  assert.equal(e.icmpReachable, true);
});

test('attempts are bounded: the first half and the most recent are kept; the largest drift wins', () => {
  let e = NO_EVIDENCE;
  for (let i = 0; i < 100; i++) e = attempt(e, i, 1);
  assert.equal(e.attempts.length, MAX_ATTEMPT_EVIDENCE);
  assert.equal(e.attempts[0]?.startedAt, 0);
  assert.equal(e.attempts[MAX_ATTEMPT_EVIDENCE / 2 - 1]?.startedAt, MAX_ATTEMPT_EVIDENCE / 2 - 1);
  assert.equal(e.attempts[MAX_ATTEMPT_EVIDENCE - 1]?.startedAt, 99);
  e = addFact(e, { kind: 'drift', drift: { timerLateMs: 30_000, wallAheadOfMonotonicMs: 0, detectedAt: 1 } });
  e = addFact(e, { kind: 'drift', drift: { timerLateMs: 2_000, wallAheadOfMonotonicMs: 0, detectedAt: 2 } });
  assert.equal(e.drift?.timerLateMs, 30_000);
  e = addFact(e, { kind: 'interfaces', changes: [{ at: 3, kind: 'down', iface: 'wlan0' }] });
  assert.deepEqual(e.interfaceChanges, [{ at: 3, kind: 'down', iface: 'wlan0' }]);
  assert.deepEqual(NO_EVIDENCE.attempts, [], 'the empty evidence is never changed');
});
