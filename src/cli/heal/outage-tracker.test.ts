import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutageTracker } from './outage-tracker.js';

const noReply = { code: 1 };

test('a ping answered while the port keeps failing: the host is reachable', () => {
  const o = new OutageTracker();
  o.probeFailed(1000, 1000, 'connect', 'ETIMEDOUT');
  o.icmpAnswer(2000, null);
  assert.equal(o.icmpReachable, undefined, 'not yet: no port failure after the ping was sent');
  o.probeFailed(2100, 1000, 'connect', 'ETIMEDOUT');
  assert.equal(o.icmpReachable, true);
});

test('a port failure that began after the ping and ended before its answer confirms it too', () => {
  const o = new OutageTracker();
  o.failed(2010, 2012, 'connect', 'ECONNREFUSED');
  o.icmpAnswer(2000, null);
  assert.equal(o.icmpReachable, true);
});

test('a ping answered just as a blackhole lifts says nothing: the next probe reaches sshd', () => {
  const o = new OutageTracker();
  o.icmpAnswer(500, noReply);
  assert.equal(o.icmpReachable, false);
  o.probeFailed(1000, 1000, 'connect', 'ETIMEDOUT');
  o.icmpAnswer(2000, null); // path back: the ping got through
  o.portAnswered();
  o.probeFailed(2500, 1, 'connect', 'ETIMEDOUT'); // a straggler after the port answered confirms nothing
  assert.equal(o.icmpReachable, false);
  const fresh = new OutageTracker();
  fresh.icmpAnswer(500, noReply);
  fresh.probeFailed(1000, 1000, 'connect', 'ETIMEDOUT');
  fresh.icmpAnswer(2000, null);
  fresh.succeeded(2010, 2040);
  assert.equal(fresh.icmpReachable, false, 'the only answered ping came with the path back');
});

test('an answer after the port is back is ignored; ping failing to run is not "unreachable"', () => {
  const o = new OutageTracker();
  o.portAnswered();
  o.icmpAnswer(100, null);
  o.probeFailed(200, 1, 'connect', 'ETIMEDOUT');
  assert.equal(o.icmpReachable, undefined);
  const p = new OutageTracker();
  p.icmpAnswer(100, { code: 2 });
  assert.equal(p.icmpReachable, undefined);
  p.reset();
  assert.equal(p.icmpReachable, undefined);
});

test('overlapping probes: a ping answered before later pings does not lose its confirmation to them', () => {
  const o = new OutageTracker();
  // a probe every 100 ms, each failing a second after its start, each failure asking a ping that is answered
  for (let start = 0; start < 3_000; start += 100) {
    o.probeFailed(start, 1_000, 'connect', 'ETIMEDOUT');
    o.icmpAnswer(start + 1_000, null);
  }
  assert.equal(o.icmpReachable, true);
});
