import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TetherError } from '../../common/errors.js';
import { DEFAULT_MAX_TIME_SEC, DEFAULT_MAX_WAIT_SEC, parseDoctorOptions } from './options.js';

test('own options are taken out; ssh options and the host stay in order', () => {
  const o = parseDoctorOptions(['-p', '2222', '--idle-probe', 'web', '--json', '--max-wait', '60', '--max-time=90']);
  assert.deepEqual(o.ssh, ['-p', '2222', 'web']);
  assert.equal(o.idleProbe, true);
  assert.equal(o.json, true);
  assert.equal(o.maxWaitMs, 60_000);
  assert.equal(o.maxTimeMs, 90_000);
});

test('defaults, and a budget that always fits one round at the longest wait', () => {
  const d = parseDoctorOptions(['web']);
  assert.deepEqual([d.idleProbe, d.json, d.maxWaitMs, d.maxTimeMs], [false, false, DEFAULT_MAX_WAIT_SEC * 1000, DEFAULT_MAX_TIME_SEC * 1000]);
  assert.equal(parseDoctorOptions(['--max-wait=1800', 'web']).maxTimeMs, 1860_000);
});

test('bad values are usage errors naming the option and the value', () => {
  for (const bad of [['--max-wait', 'soon', 'web'], ['--max-time=-1', 'web'], ['web', '--max-wait']]) {
    assert.throws(() => parseDoctorOptions(bad), (e: unknown) => e instanceof TetherError && e.kind === 'usage' && /--max-(wait|time) wants a positive number/.test(e.message));
  }
});
