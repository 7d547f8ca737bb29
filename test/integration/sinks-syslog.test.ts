// The syslog sink against a real rsyslogd: an RFC 5424 line with its structured data over TCP (octet counting),
// TLS with a test CA, and UDP; and a receiver down while 10 resets happen: all 10 arrive after, in order, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleRecord } from '../../src/history/test-records.js';
import { Sinks } from '../../src/sinks/hub.js';
import { RESET_MESSAGE_ID } from '../../src/sinks/event.js';
import { SyslogSink } from '../../src/sinks/syslog.js';
import type { SyslogTarget } from '../../src/config/sink-settings.js';
import { rsyslogMissing, sdParams, startRsyslog } from '../helpers/rsyslog.js';

const missing = rsyslogMissing();
const origin = { version: '9.9.9', machineId: '0123456789abcdef0123456789abcdef', localHost: 'laptop' };
/** How long the receiver stays down in the outage test: a few seconds here, TETHER_SINK_OUTAGE_MS=60000 for the full minute. */
const OUTAGE_MS = Number(process.env.TETHER_SINK_OUTAGE_MS ?? 4000);

function hubFor(t: { after: (fn: () => void) => void }, target: SyslogTarget, caFile?: string): Sinks {
  const stateDir = mkdtempSync(join(tmpdir(), 'tether-sinks-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const sink = new SyslogSink({ target, ...(caFile ? { caFile } : {}), connectTimeoutMs: 2000 });
  return new Sinks({ stateDir, transports: [sink], origin, backoff: { baseMs: 100, capMs: 500 } });
}

for (const transport of ['tcp', 'tls', 'udp'] as const) {
  test(`syslog over ${transport}: rsyslog parses the RFC 5424 line and its structured data`, { skip: missing, timeout: 30_000 }, async (t) => {
    const rs = await startRsyslog();
    t.after(() => rs.dispose());
    const port = transport === 'tcp' ? rs.tcpPort : transport === 'tls' ? rs.tlsPort : rs.udpPort;
    const sinks = hubFor(t, { transport, host: '127.0.0.1', port }, transport === 'tls' ? rs.caFile : undefined);
    const rec = sampleRecord('rec-1', 'db"1]', 'idle-timeout', Date.parse('2026-11-22T03:00:05.120Z'));
    rec.evidence = ['silence 301 s ≥ limit', 'path \\ with "quotes" and ] bracket'];
    sinks.record(rec);
    sinks.update('rec-1', { cause: 'firewall', confidence: 0.7 });
    const [first, second] = await rs.waitFor(2);
    await sinks.close(1000);
    assert.ok(first && second);
    assert.equal(first.msgid, RESET_MESSAGE_ID);
    assert.equal(first.app, 'tether');
    assert.match(first.raw, /^<13>1 2026-11-22T03:00:05\.120Z laptop tether \d+ b1a7e3d42c6f4f0e9d5a8c3e7f21a6d0 \[tether@32473 /);
    assert.match(first.raw, / reset of db"1\] \(db"1\]\.example:22\): idle-timeout, restored after 4\.0 s$/);
    const p = sdParams(first.sd);
    assert.equal(p.id, 'rec-1');
    assert.equal(p.kind, 'reset');
    assert.equal(p.host, 'db"1]');
    assert.equal(p.cause, 'idle-timeout');
    assert.equal(p.evidence, 'silence 301 s ≥ limit; path \\ with "quotes" and ] bracket');
    assert.equal(p.port, '22');
    assert.equal(p.downtimeMs, '4000');
    assert.equal(p.version, '9.9.9');
    assert.equal(p.machineId, origin.machineId);
    const q = sdParams(second.sd);
    assert.deepEqual([q.id, q.kind, q.cause, q.confidence], ['rec-1', 'update', 'firewall', '0.7']);
  });
}

test(`a receiver down ${OUTAGE_MS} ms while 10 resets happen: all 10 arrive after, in order, once`, { skip: missing, timeout: OUTAGE_MS + 60_000 }, async (t) => {
  const rs = await startRsyslog();
  t.after(() => rs.dispose());
  await rs.stop();
  const sinks = hubFor(t, { transport: 'tcp', host: '127.0.0.1', port: rs.tcpPort });
  const t0 = Date.now();
  for (let i = 0; i < 10; i++) {
    sinks.record(sampleRecord(`r${i}`, 'db', 'firewall', t0 + i));
    await new Promise((r) => setTimeout(r, OUTAGE_MS / 12));
  }
  // a record that cannot be sent costs the caller nothing: record() returns at once
  const before = performance.now();
  sinks.record(sampleRecord('r10', 'db', 'firewall', t0 + 10));
  assert.ok(performance.now() - before < 50, 'record() does not wait for the sink');
  await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - t0))));
  assert.equal(rs.received().length, 0);
  await rs.start();
  await rs.waitFor(11, 20_000);
  // nothing more comes: no duplicate was sent
  await new Promise((r) => setTimeout(r, 1000));
  const ids = rs.received().map((m) => sdParams(m.sd).id);
  assert.deepEqual(ids, ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10']);
  await sinks.close(1000);
});

test('tls: a receiver whose certificate the trusted CAs do not sign gets nothing; the events stay queued with the error', { skip: missing, timeout: 30_000 }, async (t) => {
  const rs = await startRsyslog();
  t.after(() => rs.dispose());
  const stateDir = mkdtempSync(join(tmpdir(), 'tether-sinks-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  // no caFile: the system's store, which does not know the test CA
  const sink = new SyslogSink({ target: { transport: 'tls', host: '127.0.0.1', port: rs.tlsPort }, connectTimeoutMs: 2000 });
  const sinks = new Sinks({ stateDir, transports: [sink], origin, backoff: { baseMs: 100, capMs: 200 } });
  sinks.record(sampleRecord('tls-1', 'db', 'firewall', 0));
  const status = join(stateDir, 'sinks', 'syslog', 'status.json');
  const deadline = Date.now() + 10_000;
  let text = '';
  while (!/lastError/.test(text) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    text = await readFile(status, 'utf8').catch(() => '');
  }
  await sinks.close(200);
  assert.match(text, /tls:\/\/127\.0\.0\.1:\d+: (self.signed|unable to (get|verify)|certificate)/i);
  assert.equal(rs.received().length, 0);
  assert.equal((await readdir(join(stateDir, 'sinks', 'syslog'))).filter((n) => /^\d+-\d+-\d+\.json$/.test(n)).length, 1);
});
