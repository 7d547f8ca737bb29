import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleRecord } from '../history/test-records.js';
import { buildResetEvent } from './event.js';
import { escapeSdValue, formatRfc5424, octetFrame } from './rfc5424.js';

const origin = { version: '1.2.3', machineId: 'ab'.repeat(16), localHost: 'my laptop' };

test('SD values escape exactly ", \\ and ]', () => {
  assert.equal(escapeSdValue('a"b\\c]d[e='), 'a\\"b\\\\c\\]d[e=');
});

test('the line: PRI, version, timestamp, host without spaces, app, pid, the fixed MSGID, SD, then the message', () => {
  const e = buildResetEvent(sampleRecord('x1', 'db', 'firewall', Date.parse('2026-11-22T03:00:05.120Z')), 'reset', origin);
  const line = formatRfc5424(e, 4242);
  assert.equal(
    line,
    '<13>1 2026-11-22T03:00:05.120Z mylaptop tether 4242 b1a7e3d42c6f4f0e9d5a8c3e7f21a6d0 [tether@32473 id="x1" kind="reset" host="db" ' +
      'hostname="db.example" port="22" user="alice" session="tether-x1" cause="firewall" confidence="0.9" trigger="ECONNRESET" ' +
      'detectedAt="2026-11-22T03:00:05.120Z" restoredAt="2026-11-22T03:00:09.120Z" downtimeMs="4000" outcome="restored" attempts="2" ' +
      'evidence="firewall evidence for x1; same boot (boot_id 3f2a… unchanged)" version="1.2.3" machineId="abababababababababababababababab"] ' +
      'reset of db (db.example:22): firewall, restored after 4.0 s',
  );
});

test('a lost session is a warning; absent values are left out of the SD', () => {
  const r = sampleRecord('x2', 'db', 'reboot', 0, 1000, 'gave-up');
  const line = formatRfc5424(buildResetEvent({ ...r, session: null }, 'update', { ...origin, localHost: '' }), 1);
  assert.match(line, /^<12>1 1970-01-01T00:00:00\.000Z - tether 1 /);
  assert.doesNotMatch(line, /restoredAt=|session=/);
  assert.match(line, / kind="update" /);
});

test('octet counting frames by UTF-8 bytes, not characters', () => {
  assert.equal(octetFrame('é…').toString('utf8'), '5 é…');
});
