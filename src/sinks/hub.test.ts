import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleRecord } from '../history/test-records.js';
import type { ResetEvent } from './event.js';
import { Sinks, sinkDir } from './hub.js';
import { readStatus } from './status.js';
import type { SinkTransport } from './transport.js';

const origin = { version: '1', machineId: 'm', localHost: 'h' };

/** A sink that fails while `down`, hangs while `hang`, and records what it took. */
class FakeSink implements SinkTransport {
  readonly name = 'syslog';
  readonly target = 'fake';
  down = false;
  hang = false;
  got: ResetEvent[] = [];
  closed = 0;
  send(e: ResetEvent): Promise<void> {
    if (this.hang) return new Promise(() => undefined);
    if (this.down) return Promise.reject(new Error('connect ECONNREFUSED\n  at somewhere'));
    this.got.push(e);
    return Promise.resolve();
  }
  close(): void {
    this.closed++;
  }
}

function setup(t: { after: (fn: () => void) => void }, sink: FakeSink): { sinks: Sinks; stateDir: string } {
  const stateDir = mkdtempSync(join(tmpdir(), 'tether-hub-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  return { sinks: new Sinks({ stateDir, transports: [sink], origin, backoff: { baseMs: 20, capMs: 50 } }), stateDir };
}

const until = async (ok: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('a sink that fails gets every event once it is back, in order, once; its error is one line in its status', async (t) => {
  const sink = new FakeSink();
  const { sinks, stateDir } = setup(t, sink);
  sink.down = true;
  for (let i = 0; i < 5; i++) sinks.record(sampleRecord(`r${i}`, 'db', 'firewall', i));
  await new Promise((r) => setTimeout(r, 200));
  const failing = await readStatus(sinkDir(stateDir, 'syslog'));
  assert.equal(failing.lastError, 'connect ECONNREFUSED at somewhere');
  assert.equal(failing.lastSuccessAt, undefined);
  sink.down = false;
  await until(() => sink.got.length === 5);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(sink.got.map((e) => e.id), ['r0', 'r1', 'r2', 'r3', 'r4']);
  await sinks.close(500);
  assert.ok((await readStatus(sinkDir(stateDir, 'syslog'))).lastSuccessAt);
  assert.deepEqual(readdirSync(sinkDir(stateDir, 'syslog')), ['status.json'], 'the queue is empty and the lock released');
});

test('an update goes out as the whole record under the same id, cleaned as the history cleans it', async (t) => {
  const sink = new FakeSink();
  const { sinks } = setup(t, sink);
  sinks.record(sampleRecord('u1', 'db', 'unknown', 0));
  sinks.update('u1', { cause: 'reboot', evidence: ['boot_id changed', '-----BEGIN OPENSSH PRIVATE KEY-----', 'a\u001bb'] });
  sinks.update('never-recorded', { cause: 'reboot' });
  await until(() => sink.got.length === 2);
  await sinks.close(500);
  const [rec, upd] = sink.got;
  assert.equal(upd?.id, rec?.id);
  assert.equal(upd?.kind, 'update');
  assert.equal(upd?.cause, 'reboot');
  assert.equal(upd?.hostname, 'db.example');
  assert.equal(upd?.evidence, 'boot_id changed; a b');
});

test('close waits no longer than its bound for a hanging sink; the event stays queued for the next tether', async (t) => {
  const sink = new FakeSink();
  const { sinks, stateDir } = setup(t, sink);
  sink.hang = true;
  sinks.record(sampleRecord('h1', 'db', 'firewall', 0));
  const t0 = Date.now();
  await sinks.close(300);
  const took = Date.now() - t0;
  assert.ok(took < 2000, `close took ${took} ms`);
  assert.equal(sink.closed, 1);
  const left = readdirSync(sinkDir(stateDir, 'syslog')).filter((n) => n.endsWith('.json') && n !== 'status.json');
  assert.equal(left.length, 1);
  // the next process sends it
  const next = new FakeSink();
  const again = new Sinks({ stateDir, transports: [next], origin });
  again.start();
  await until(() => next.got.length === 1);
  assert.equal(next.got[0]?.id, 'h1');
  await again.close(500);
});

test('export queues the whole history once, as export events', async (t) => {
  const sink = new FakeSink();
  const { sinks } = setup(t, sink);
  await sinks.exportAll([sampleRecord('a', 'x', 'firewall', 0), sampleRecord('b', 'y', 'reboot', 1)]);
  await sinks.close(1000);
  assert.deepEqual(sink.got.map((e) => `${e.id}:${e.kind}`), ['a:export', 'b:export']);
});
