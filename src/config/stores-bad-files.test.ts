// Settings and learned host state on bad ground, with real files: cut short, 1 GB, a symlink, wrong types. Each is
// one line saying what is wrong with which file (the cli warns and goes on with defaults); nothing is overwritten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TetherError } from '../common/errors.js';
import { openHostState } from './host-state.js';
import { openSettings } from './settings.js';

function dirFor(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'tether-badstore-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function rejectsOneLine(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof TetherError && err.kind === 'config', String(err));
    assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
    assert.match(err.message, re);
    return true;
  });
}

test('hosts.json cut short, 1 GB or a symlink: a one-line error naming the file; the file is left alone', async (t) => {
  const dir = dirFor(t);
  const file = join(dir, 'hosts.json');
  writeFileSync(file, '{"hosts": {"a@b:22": {"keep', { mode: 0o600 });
  await rejectsOneLine(openHostState(dir), /hosts\.json: .*JSON/);
  assert.equal(readFileSync(file, 'utf8'), '{"hosts": {"a@b:22": {"keep', 'not cleared');
  truncateSync(file, 1024 * 1048576);
  const started = Date.now();
  await rejectsOneLine(openHostState(dir), /hosts\.json: is 1024 MiB, more than the 1 MiB tether reads of it/);
  assert.ok(Date.now() - started < 5000, 'refused without reading it');
  rmSync(file);
  const elsewhere = join(dir, 'elsewhere.json');
  writeFileSync(elsewhere, '{"hosts":{}}');
  symlinkSync(elsewhere, file);
  await rejectsOneLine(openHostState(dir), /hosts\.json: is a symbolic link/);
});

test('hosts.json with wrong types: only well-typed numbers are used, nothing crashes', async (t) => {
  const dir = dirFor(t);
  writeFileSync(join(dir, 'hosts.json'), JSON.stringify({ hosts: { 'a@b:22': { keepaliveMs: 'fast', srttMs: 12, idleBoundMs: -5 }, 'c@d:22': null } }), { mode: 0o600 });
  const st = await openHostState(dir);
  assert.deepEqual(st.get('a@b:22'), { srttMs: 12 });
  assert.deepEqual(st.get('c@d:22'), {});
  const other = dirFor(t);
  writeFileSync(join(other, 'hosts.json'), JSON.stringify({ hosts: null }), { mode: 0o600 });
  const none = await openHostState(other);
  assert.deepEqual(none.get('a@b:22'), {});
  assert.deepEqual(none.update('a@b:22', { keepaliveMs: 20_000 }).keepaliveMs, 20_000, 'and learning still works');
});

test('config.json with wrong types or cut short: one line naming the file and the setting', async (t) => {
  const dir = dirFor(t);
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ statusBar: 'yes', keepaliveMs: 5 }), { mode: 0o600 });
  await rejectsOneLine(openSettings(dir), /config\.json: .*statusBar/);
  writeFileSync(file, '{"tmux": tr', { mode: 0o600 });
  await rejectsOneLine(openSettings(dir), /config\.json: .*JSON/);
  assert.equal(readFileSync(file, 'utf8'), '{"tmux": tr', 'not cleared');
});
