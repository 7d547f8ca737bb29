import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir } from './private-fs.js';

test('ensurePrivateDir creates missing directories 0700 whatever the umask allows', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'tether-pfs-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  ensurePrivateDir(join(root, 'a', 'b', 'c'));
  for (const d of ['a', 'a/b', 'a/b/c']) assert.equal(statSync(join(root, d)).mode & 0o777, 0o700, d);
});

test("ensurePrivateDir tightens tether's own 0755 directory, but never a parent it did not create", (t) => {
  const root = mkdtempSync(join(tmpdir(), 'tether-pfs-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const parent = join(root, 'state');
  mkdirSync(join(parent, 'tether'), { recursive: true });
  chmodSync(parent, 0o755);
  chmodSync(join(parent, 'tether'), 0o755);
  ensurePrivateDir(join(parent, 'tether'));
  assert.equal(statSync(join(parent, 'tether')).mode & 0o777, 0o700);
  assert.equal(statSync(parent).mode & 0o777, 0o755);
  const ssh = join(root, 'ssh');
  mkdirSync(ssh, { mode: 0o755 });
  chmodSync(ssh, 0o755);
  ensurePrivateDir(ssh, false);
  assert.equal(statSync(ssh).mode & 0o777, 0o755, "a directory that is not tether's keeps its mode");
});
