import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHostStates } from './host-state.js';

test('readHostStates reads hosts.json without creating anything; a missing or damaged file is no state', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-hs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(await readHostStates(dir), {});
  assert.deepEqual(readdirSync(dir), [], 'nothing written');
  writeFileSync(join(dir, 'hosts.json'), JSON.stringify({ hosts: { 'ann@web:22': { idleBoundMs: 300000, updatedAt: 5 } } }));
  assert.deepEqual(await readHostStates(dir), { 'ann@web:22': { idleBoundMs: 300000, updatedAt: 5 } });
  writeFileSync(join(dir, 'hosts.json'), '{"hosts": [');
  assert.deepEqual(await readHostStates(dir), {});
});
