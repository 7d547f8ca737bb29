import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { sampleRecord } from '../history/test-records.js';
import { buildResetEvent } from './event.js';
import { JournaldSink, journaldRunning, journalFields } from './journald.js';

const origin = { version: '1.2.3', machineId: 'ab'.repeat(16), localHost: 'laptop' };
const event = buildResetEvent(sampleRecord('j1', 'db', 'reboot', Date.parse('2026-11-22T03:00:05.120Z')), 'reset', origin);

test('journal fields: MESSAGE_ID, MESSAGE, PRIORITY and every field as TETHER_*', () => {
  const f = journalFields(event);
  assert.equal(f[0], 'MESSAGE_ID=b1a7e3d42c6f4f0e9d5a8c3e7f21a6d0');
  assert.ok(f.includes('MESSAGE=tether: reset of db (db.example:22): reboot, restored after 4.0 s'));
  assert.ok(f.includes('PRIORITY=5'));
  assert.ok(f.includes('TETHER_DETECTED_AT=2026-11-22T03:00:05.120Z'));
  assert.ok(f.includes('TETHER_DOWNTIME_MS=4000'));
  assert.ok(f.includes('TETHER_MACHINE_ID=abababababababababababababababab'));
  for (const line of f) assert.match(line, /^[A-Z][A-Z0-9_]*=[^\n]*$/);
});

test('the writer gets the fields on stdin; a failing writer is an error naming it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-journald-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'entry');
  await new JournaldSink({ command: ['sh', '-c', `cat > ${out}`] }).send(event);
  assert.deepEqual(readFileSync(out, 'utf8').trimEnd().split('\n'), journalFields(event));
  await assert.rejects(new JournaldSink({ command: ['sh', '-c', 'echo no journal >&2; exit 1'] }).send(event), /sh failed \(exit 1\): no journal/);
  await assert.rejects(new JournaldSink({ command: ['/nonexistent/logger'] }).send(event), /ENOENT/);
});

// journald does not run in containers without systemd (this one, and CI's: see .ci/run)
const noJournal = journaldRunning() ? false : 'journald is not running here (no /run/systemd/journal/socket)';
test('journald: the entry is in the journal with its MESSAGE_ID and TETHER_* fields', { skip: noJournal }, async () => {
  const id = `j-${process.pid}-${Date.now()}`;
  await new JournaldSink().send({ ...event, id });
  const found = spawnSync('journalctl', ['-o', 'json', `TETHER_ID=${id}`, '--no-pager'], { encoding: 'utf8' }).stdout;
  const entry = JSON.parse(found.trim().split('\n')[0] ?? '{}') as Record<string, string>;
  assert.equal(entry.MESSAGE_ID, 'b1a7e3d42c6f4f0e9d5a8c3e7f21a6d0');
  assert.equal(entry.TETHER_CAUSE, 'reboot');
});
