import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appSpecificId, localMachineId } from './machine-id.js';

test('the system machine id is never sent as is: an app-specific hash of it, stable', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-mid-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const sys = join(dir, 'machine-id');
  writeFileSync(sys, '0123456789abcdef0123456789abcdef\n');
  const id = await localMachineId(join(dir, 'state'), sys);
  assert.match(id, /^[0-9a-f]{32}$/);
  assert.notEqual(id, '0123456789abcdef0123456789abcdef');
  assert.equal(id, appSpecificId('0123456789abcdef0123456789abcdef'));
});

test('without a system id: one made once and kept in the state dir (0600)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-mid-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const state = join(dir, 'state');
  const a = await localMachineId(state, join(dir, 'absent'));
  const b = await localMachineId(state, join(dir, 'absent'));
  assert.equal(a, b);
  assert.equal(readFileSync(join(state, 'machine-id'), 'utf8').trim(), a);
  assert.equal(statSync(join(state, 'machine-id')).mode & 0o777, 0o600);
});
