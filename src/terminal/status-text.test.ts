import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  displayWidth,
  fit,
  formatDuration,
  formatOutage,
  formatRestored,
  formatStatus,
  type StatusSnapshot,
} from './status-text.js';

const NOW = 1_000_000;
const base: StatusSnapshot = {
  host: 'db.example.org',
  state: 'connected',
  rttMs: 23.4,
  keepaliveMs: 25_000,
  resetsToday: 2,
  lastCause: 'idle-timeout',
};

test('status at 80 columns, each state', () => {
  const rows = {
    connected: formatStatus(base, 80, NOW),
    suspect: formatStatus({ ...base, state: 'suspect' }, 80, NOW),
    down: formatStatus({ ...base, state: 'down', heldKeys: 3 }, 80, NOW),
    reconnecting: formatStatus({ ...base, state: 'reconnecting', attempt: 3, nextTryAt: NOW + 4200, heldKeys: 1 }, 80, NOW),
    restoring: formatStatus({ ...base, state: 'restoring' }, 80, NOW),
  };
  for (const r of Object.values(rows)) assert.equal(displayWidth(r), 80);
  assert.equal(rows.connected, ' db.example.org │ connected │ rtt 23 ms │ last: idle-timeout │ resets today 2   ');
  assert.equal(rows.suspect, ' db.example.org │ no reply, checking │ rtt 23 ms │ last: idle-timeout   ~? help ');
  assert.equal(rows.down, ' db.example.org │ link down │ 3 keys held │ rtt 23 ms │ last: idle-timeout      ');
  assert.equal(rows.reconnecting, ' db.example.org │ reconnecting #3, next try in 5 s │ 1 key held │ rtt 23 ms     ');
  assert.equal(rows.restoring, ' db.example.org │ restoring session │ rtt 23 ms │ last: idle-timeout    ~? help ');
});

test('status at 300 columns shows everything and the help hint', () => {
  const r = formatStatus(base, 300, NOW);
  assert.equal(displayWidth(r), 300);
  assert.match(r, /^ db\.example\.org │ connected │ rtt 23 ms │ last: idle-timeout │ resets today 2 │ keep-alive 25 s +~\? help $/);
  const t = formatStatus({ ...base, state: 'reconnecting', attempt: 12 }, 300, NOW);
  assert.match(t, /reconnecting #12, trying now │ rtt 23 ms/);
});

test('very narrow: host and state, cut with an ellipsis', () => {
  const r = formatStatus({ ...base, state: 'reconnecting', attempt: 2, nextTryAt: NOW + 10_000 }, 30, NOW);
  assert.equal(displayWidth(r), 30);
  assert.equal(r, ' db.example.org │ reconnectin…');
});

test('widths: wide chars and emoji count two', () => {
  assert.equal(displayWidth('漢字'), 4);
  assert.equal(displayWidth('a😀'), 3);
  assert.equal(fit('漢字漢字', 5), '漢字…');
});

test('durations', () => {
  assert.equal(formatDuration(850), '850 ms');
  assert.equal(formatDuration(12_400), '12 s');
  assert.equal(formatDuration(185_000), '3 min 5 s');
  assert.equal(formatDuration(7_380_000), '2 h 3 min');
});

test('outage panel text', () => {
  const lines = formatOutage(
    {
      host: 'db',
      downSince: NOW - 12_000,
      cause: 'idle-timeout',
      confidence: 'likely',
      evidence: ['silent for 301 s before the reset', 'host answers on port 22'],
      attempt: 3,
      nextTryAt: NOW + 2000,
      heldKeys: 5,
    },
    60,
    NOW,
  );
  assert.deepEqual(lines, [
    'The link to db is down (12 s).',
    '',
    'Cause so far: idle-timeout (likely)',
    '  - silent for 301 s before the reset',
    '  - host answers on port 22',
    '',
    'Attempt 3, next try in 2 s.',
    '5 keys held, sent when the session is back.',
    '',
    'r  retry now      ~.  quit',
  ]);
  assert.equal(formatOutage({ host: 'h', downSince: NOW }, 40, NOW)[2], 'Cause: still looking.');
});

test('restore message', () => {
  assert.equal(
    formatRestored(12_000, 'firewall forgot the idle connection after ≤ 30 s', 'keep-alive now 15 s'),
    'link down 12 s: firewall forgot the idle connection after ≤ 30 s; keep-alive now 15 s',
  );
});
