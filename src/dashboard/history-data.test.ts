import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResetRecord } from '../history/record.js';
import { filterFromQuery } from './history-api.js';
import { historyData, idleLimitOverTime } from './history-data.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-20T00:00:00Z');

function rec(i: number, host: string, cause: ResetRecord['cause'], at: number, silenceMs: number, downtimeMs: number | null): ResetRecord {
  return {
    v: 1, id: `r${i}`, host, hostname: `${host}.example`, port: 22, user: 'ann', session: null,
    detectedAt: new Date(at).toISOString(), lastHeardAt: new Date(at - silenceMs).toISOString(), restoredAt: null, downtimeMs,
    trigger: 'ECONNRESET', cause, confidence: 0.5, evidence: [], advice: [], attempts: 1, outcome: 'restored', keepaliveMs: null,
  };
}

const records = [
  rec(0, 'web', 'idle-timeout', T0 + 1000, 300_000, 2000),
  rec(1, 'db', 'firewall', T0 + 2000, 1000, 3000),
  rec(2, 'web', 'idle-timeout', T0 + DAY + 5, 240_000, 1000),
  rec(3, 'web', 'idle-timeout', T0 + DAY + 9, 280_000, null),
  rec(4, 'web', 'network', T0 + 2 * DAY, 10, 500),
];

test('rows, hosts and causes in the order first seen; downtime per UTC day by cause; causes per host', () => {
  const d = historyData(records);
  assert.deepEqual(d.rows.map((r) => r.id), ['r0', 'r1', 'r2', 'r3', 'r4']);
  assert.deepEqual(d.hosts, ['web', 'db']);
  assert.deepEqual(d.causes, ['idle-timeout', 'firewall', 'network']);
  assert.deepEqual(d.downtimePerDay, [
    { day: '2026-11-20', byCause: { 'idle-timeout': 2000, firewall: 3000 } },
    { day: '2026-11-21', byCause: { 'idle-timeout': 1000 } },
    { day: '2026-11-22', byCause: { network: 500 } },
  ]);
  assert.deepEqual(d.causesPerHost, [
    { host: 'web', byCause: { 'idle-timeout': 3, network: 1 } },
    { host: 'db', byCause: { firewall: 1 } },
  ]);
});

test('the idle limit over time: the shortest killing silence so far, then the learned state as saved', () => {
  const states = { 'ann@web.example:22': { idleBoundMs: 200_000, updatedAt: T0 + 3 * DAY } };
  assert.deepEqual(idleLimitOverTime(records, states), [
    {
      host: 'web',
      points: [
        { t: T0 + 1000, ms: 300_000, from: 'reset' },
        { t: T0 + DAY + 5, ms: 240_000, from: 'reset' },
        { t: T0 + DAY + 9, ms: 240_000, from: 'reset' },
        { t: T0 + 3 * DAY, ms: 200_000, from: 'learned' },
      ],
    },
  ]);
  // learned state older than the last reset is not drawn after it; a host with nothing learned has no line
  assert.equal(idleLimitOverTime(records, { 'ann@web.example:22': { idleBoundMs: 1, updatedAt: T0 } })[0]?.points.length, 3);
  assert.deepEqual(idleLimitOverTime([records[1] as ResetRecord]), []);
});

test('the query takes the filters of `tether history`; bad values are usage errors naming them', () => {
  const now = T0 + 10 * DAY;
  assert.deepEqual(filterFromQuery(new URLSearchParams('host=web&cause=firewall&since=2d'), now), { host: 'web', cause: 'firewall', since: now - 2 * DAY });
  assert.deepEqual(filterFromQuery(new URLSearchParams(''), now), {});
  assert.throws(() => filterFromQuery(new URLSearchParams('cause=gremlins'), now), /cause: unknown cause "gremlins"/);
  assert.throws(() => filterFromQuery(new URLSearchParams('since=soon'), now), /--since: bad value "soon"/);
});
