import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleRecord } from '../history/test-records.js';
import { buildResetEvent, EVENT_SCHEMA, evidenceSummary, readEvent, RESET_MESSAGE_ID } from './event.js';
import { otlpAttributes, logsUrl } from './otlp.js';

const origin = { version: '1.2.3', machineId: 'ab'.repeat(16), localHost: 'laptop' };

test('the event carries the record fields, the fixed message id, version and machine id, and nothing else', () => {
  const r = sampleRecord('e1', 'db', 'idle-timeout', Date.parse('2026-11-22T03:00:05.120Z'));
  const e = buildResetEvent(r, 'reset', origin);
  assert.deepEqual(Object.keys(e).sort(), [
    'attempts', 'cause', 'confidence', 'detectedAt', 'downtimeMs', 'evidence', 'host', 'hostname', 'id', 'kind', 'localHost',
    'machineId', 'messageId', 'outcome', 'port', 'restoredAt', 'schema', 'session', 'trigger', 'user', 'version',
  ]);
  assert.equal(e.messageId, RESET_MESSAGE_ID);
  assert.equal(e.schema, EVENT_SCHEMA);
  assert.equal(e.evidence, 'idle-timeout evidence for e1; same boot (boot_id 3f2a… unchanged)');
  assert.deepEqual(readEvent(JSON.stringify(e)), e);
  assert.equal(readEvent('{"schema":2}'), undefined);
  assert.equal(readEvent('not json'), undefined);
});

test('control characters never reach a sink; the evidence summary is capped', () => {
  const r = sampleRecord('e2', 'db\u001b[31m', 'unknown', 0);
  const e = buildResetEvent({ ...r, trigger: 'EOF\r\nFAKE=1' }, 'reset', origin);
  assert.equal(e.host, 'db [31m');
  assert.equal(e.trigger, 'EOF  FAKE=1');
  const long = evidenceSummary(Array.from({ length: 40 }, () => 'x'.repeat(100)));
  assert.equal(long.length, 600);
  assert.ok(long.endsWith('…'));
});

test('OTLP: attributes under tether.* in snake case, server.* by convention; a bare endpoint gets /v1/logs', () => {
  const a = otlpAttributes(buildResetEvent(sampleRecord('e3', 'db', 'firewall', 0), 'export', origin));
  assert.equal(a['tether.kind'], 'export');
  assert.equal(a['tether.downtime_ms'], 4000);
  assert.equal(a['server.address'], 'db.example');
  assert.equal(logsUrl('http://c:4318'), 'http://c:4318/v1/logs');
  assert.equal(logsUrl('http://c:4318/custom/logs'), 'http://c:4318/custom/logs');
});
