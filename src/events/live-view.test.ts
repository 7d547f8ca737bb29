import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResetRecord } from '../history/record.js';
import type { HealingEvent } from './events.js';
import { emptyLiveView, foldLiveView } from './live-view.js';

/** A plain firewall reset. */
const RESET_RECORD: ResetRecord = {
  v: 1,
  id: 'r-1',
  host: 'web',
  hostname: 'web.example',
  port: 2222,
  user: 'ann',
  session: 'tether-a',
  detectedAt: '2026-11-22T03:00:05.120Z',
  lastHeardAt: '2026-11-22T03:00:04.000Z',
  restoredAt: '2026-11-22T03:00:15.120Z',
  downtimeMs: 10_000,
  trigger: 'ECONNRESET',
  cause: 'firewall',
  confidence: 0.8,
  evidence: ['port 22 reset while the host answered ping'],
  advice: ['ask the firewall owner'],
  attempts: 2,
  outcome: 'restored',
  keepaliveMs: 25_000,
};

const events: HealingEvent[] = [
  { type: 'session-start', at: 10, host: 'web', hostname: 'web.example', port: 2222, user: 'ann', session: 'tether-a', pid: 42 },
  { type: 'state', at: 11, state: 'connected', linkId: 1, srttMs: 20, rttvarMs: 5, keepaliveMs: 25_000, heldBytes: 0, attempt: 0, nextAttemptAt: undefined, lastError: undefined },
  { type: 'outage-start', at: 20, trigger: 'ECONNRESET', lastHeardAt: 19 },
  { type: 'state', at: 21, state: 'down', linkId: undefined, srttMs: 20, rttvarMs: 5, keepaliveMs: 25_000, heldBytes: 3, attempt: 1, nextAttemptAt: 500, lastError: 'refused' },
  { type: 'outage-attempt', at: 22, n: 2, code: 'ECONNREFUSED' },
];

test('the fold follows state, outage and identity', () => {
  const v = events.reduce(foldLiveView, emptyLiveView(0, 0));
  assert.equal(v.host, 'web');
  assert.equal(v.pid, 42);
  assert.equal(v.state, 'down');
  assert.equal(v.heldBytes, 3);
  assert.equal(v.attempt, 2);
  assert.equal(v.outageSince, 20);
  assert.equal(v.trigger, 'ECONNRESET');
  assert.equal(v.lastError, 'refused');
  assert.equal(v.updatedAt, 22);
});

test('outage end, a recorded reset, a notice and the exit', () => {
  const more: HealingEvent[] = [
    ...events,
    { type: 'outage-end', at: 30, downtimeMs: 10, outcome: 'restored' },
    { type: 'reset-recorded', at: 31, record: RESET_RECORD },
    { type: 'notice', at: 32, text: 'link down 10 s: firewall', level: 'info' },
  ];
  const v = more.reduce(foldLiveView, emptyLiveView(0, 0));
  assert.equal(v.outageSince, undefined);
  assert.equal(v.resets, 1);
  assert.equal(v.lastCause, 'firewall');
  assert.equal(v.lastNotice?.text, 'link down 10 s: firewall');
  const ended = foldLiveView(v, { type: 'exit', at: 40, code: 255 });
  assert.equal(ended.exitCode, 255);
  assert.equal(ended.state, 'stopped');
  assert.equal(v.exitCode, undefined, 'the old view is not changed');
});
