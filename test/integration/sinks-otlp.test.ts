// The OTLP sink against a real OTLP/HTTP receiver on 127.0.0.1: the SDK's exporter posts the logs request, the
// test decodes it as the OpenTelemetry packages' own IExportLogsServiceRequest and checks records and resource.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IKeyValue } from '@opentelemetry/otlp-transformer/build/src/common/internal-types.js';
import type { IExportLogsServiceRequest } from '@opentelemetry/otlp-transformer/build/src/logs/internal-types.js';
import { sampleRecord } from '../../src/history/test-records.js';
import { RESET_MESSAGE_ID } from '../../src/sinks/event.js';
import { Sinks } from '../../src/sinks/hub.js';
import { OtlpSink } from '../../src/sinks/otlp.js';

interface Post {
  path: string;
  headers: IncomingHttpHeaders;
  body: IExportLogsServiceRequest;
}

/** A receiver that answers 200 to each OTLP/HTTP JSON post, or 503 while `down`. */
async function receiver(t: { after: (fn: () => Promise<void>) => void }): Promise<{ url: string; posts: Post[]; setDown: (d: boolean) => void }> {
  const posts: Post[] = [];
  let down = false;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (s: string) => (body += s));
    req.on('end', () => {
      if (down) {
        res.writeHead(503).end();
        return;
      }
      posts.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(body) as IExportLogsServiceRequest });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const a = server.address();
  return { url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, posts, setDown: (d) => (down = d) };
}

/** An OTLP AnyValue as a plain value. */
function plain(kvs: readonly IKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of kvs ?? []) {
    const v = kv.value;
    out[kv.key] = v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue;
  }
  return out;
}

test('otlp: each reset is one log record with typed tether.* attributes; OTEL_* headers and resource honoured', { timeout: 30_000 }, async (t) => {
  const rx = await receiver(t);
  const stateDir = mkdtempSync(join(tmpdir(), 'tether-sinks-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  // the SDK reads these itself (at construction); the sink must not get in their way
  process.env.OTEL_EXPORTER_OTLP_HEADERS = 'x-team-token=abc123';
  process.env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment=lab,team=platform';
  t.after(() => {
    delete process.env.OTEL_EXPORTER_OTLP_HEADERS;
    delete process.env.OTEL_RESOURCE_ATTRIBUTES;
  });
  const sink = new OtlpSink({ url: rx.url, version: '9.9.9', machineId: 'm'.repeat(32) });
  const origin = { version: '9.9.9', machineId: 'm'.repeat(32), localHost: 'laptop' };
  const sinks = new Sinks({ stateDir, transports: [sink], origin, backoff: { baseMs: 100, capMs: 300 } });
  rx.setDown(true);
  sinks.record(sampleRecord('o-1', 'db1', 'server-restart', Date.parse('2026-11-22T03:00:05.120Z'), 9000, 'gave-up'));
  sinks.update('o-1', { outcome: 'gave-up', evidence: ['sshd master newer than the outage'] });
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(rx.posts.length, 0, 'nothing accepted while the receiver answers 503');
  rx.setDown(false);
  const deadline = Date.now() + 15_000;
  while (rx.posts.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await sinks.close(1000);
  assert.equal(rx.posts.length, 2, 'the record and its update, once each');
  const [p1, p2] = rx.posts;
  assert.ok(p1 && p2);
  assert.equal(p1.path, '/v1/logs');
  assert.equal(p1.headers['x-team-token'], 'abc123');
  assert.match(String(p1.headers['content-type']), /application\/json/);
  const rl = p1.body.resourceLogs?.[0];
  const resource = plain(rl?.resource?.attributes);
  assert.equal(resource['service.name'], 'tether');
  assert.equal(resource['service.version'], '9.9.9');
  assert.equal(resource['deployment.environment'], 'lab');
  assert.equal(resource.team, 'platform');
  const log = rl?.scopeLogs[0]?.logRecords?.[0];
  assert.ok(log);
  assert.equal(log.eventName, 'tether.reset');
  assert.equal(log.severityNumber, 13);
  assert.equal(log.body?.stringValue, 'reset of db1 (db1.example:22): server-restart, gave-up after 9.0 s');
  assert.equal(String(log.timeUnixNano), String(BigInt(Date.parse('2026-11-22T03:00:05.120Z')) * 1_000_000n));
  const a = plain(log.attributes);
  assert.equal(a['tether.message_id'], RESET_MESSAGE_ID);
  assert.equal(a['tether.id'], 'o-1');
  assert.equal(a['tether.kind'], 'reset');
  assert.equal(a['tether.cause'], 'server-restart');
  assert.equal(a['tether.outcome'], 'gave-up');
  assert.equal(Number(a['tether.downtime_ms']), 9000);
  assert.equal(a['server.address'], 'db1.example');
  assert.equal(Number(a['server.port']), 22);
  const u = plain(p2.body.resourceLogs?.[0]?.scopeLogs[0]?.logRecords?.[0]?.attributes);
  assert.deepEqual([u['tether.id'], u['tether.kind'], u['tether.evidence']], ['o-1', 'update', 'sshd master newer than the outage']);
});

test('otlp without a URL: the exporter goes where OTEL_EXPORTER_OTLP_ENDPOINT says', { timeout: 30_000 }, async (t) => {
  const rx = await receiver(t);
  const stateDir = mkdtempSync(join(tmpdir(), 'tether-sinks-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = rx.url;
  t.after(() => delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const sink = new OtlpSink({ version: '9.9.9', machineId: 'm'.repeat(32) });
  const sinks = new Sinks({ stateDir, transports: [sink], origin: { version: '9.9.9', machineId: 'm'.repeat(32), localHost: 'h' } });
  sinks.record(sampleRecord('env-1', 'db', 'reboot', 0));
  await sinks.close(10_000);
  assert.equal(rx.posts.length, 1);
  assert.equal(rx.posts[0]?.path, '/v1/logs');
  assert.equal(plain(rx.posts[0]?.body.resourceLogs?.[0]?.scopeLogs[0]?.logRecords?.[0]?.attributes)['tether.id'], 'env-1');
});
