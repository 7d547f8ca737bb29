import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleRecord } from '../history/test-records.js';
import { buildResetEvent } from './event.js';
import { DiskQueue } from './queue.js';

const origin = { version: '1', machineId: 'm', localHost: 'h' };
const ev = (id: string) => buildResetEvent(sampleRecord(id, 'db', 'firewall', 0), 'reset', origin);

function tmp(t: { after: (fn: () => void) => void }): string {
  const d = mkdtempSync(join(tmpdir(), 'tether-queue-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return join(d, 'sinks', 'syslog');
}

test('events come out in the order they went in, even when the clock steps back; dir 0700, files 0600', async (t) => {
  const q = new DiskQueue(tmp(t));
  await q.push(ev('a'), 5000);
  await q.push(ev('b'), 4000);
  await q.push(ev('c'), 5000);
  const names = await q.list();
  assert.deepEqual(await Promise.all(names.map(async (n) => (await q.read(n))?.id)), ['a', 'b', 'c']);
  assert.equal(statSync(q.dir).mode & 0o777, 0o700);
  for (const n of names) assert.equal(statSync(join(q.dir, n)).mode & 0o777, 0o600);
  await q.remove(names[0] ?? '');
  assert.equal((await q.list()).length, 2);
});

test('bounded: beyond the limit the oldest are dropped and counted', async (t) => {
  const q = new DiskQueue(tmp(t), 3);
  let dropped = 0;
  for (const id of ['1', '2', '3', '4', '5']) dropped += await q.push(ev(id));
  assert.equal(dropped, 2);
  const ids = await Promise.all((await q.list()).map(async (n) => (await q.read(n))?.id));
  assert.deepEqual(ids, ['3', '4', '5']);
});

test('one deliverer per queue: a live holder keeps it, a dead one loses it; half-written files are not events', async (t) => {
  const q = new DiskQueue(tmp(t));
  await q.push(ev('a'));
  writeFileSync(join(q.dir, '.000000000000001-00000001-000000.json.tmp'), '{');
  assert.deepEqual((await q.list()).length, 1);
  // held by a live process (our parent)
  writeFileSync(join(q.dir, 'lock'), String(process.ppid));
  assert.equal(await q.lock(), false);
  // held by a process that has exited
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  writeFileSync(join(q.dir, 'lock'), dead);
  assert.equal(await q.lock(), true);
  assert.equal(await new DiskQueue(q.dir).lock(), false, 'a second queue object in this process waits its turn');
  q.unlock();
  assert.ok(!readdirSync(q.dir).includes('lock'));
  // a lock naming our own pid that we do not hold is stale (a pid reused after a crash)
  writeFileSync(join(q.dir, 'lock'), String(process.pid));
  assert.equal(await q.lock(), true);
  q.unlock();
});

test('a temporary file left by a push that died is swept once it is old, not while it may still be renamed', async (t) => {
  const q = new DiskQueue(tmp(t));
  await q.push(ev('a'));
  const old = join(q.dir, '.000000000000001-00000001-000000.json.tmp');
  const fresh = join(q.dir, '.000000000000002-00000001-000000.json.tmp');
  writeFileSync(old, '{');
  writeFileSync(fresh, '{');
  utimesSync(old, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
  await q.sweep();
  const left = readdirSync(q.dir);
  assert.ok(!left.includes('.000000000000001-00000001-000000.json.tmp'));
  assert.ok(left.includes('.000000000000002-00000001-000000.json.tmp'));
  assert.equal((await q.list()).length, 1);
});
