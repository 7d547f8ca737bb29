import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TetherError } from '../common/errors.js';
import { attemptResultFrom, attemptResultOf, triggerOf } from './from-error.js';

const sys = (code: string, level?: string): Error => Object.assign(new Error(code), { code, level });
const wrap = (kind: ConstructorParameters<typeof TetherError>[0], cause?: unknown): TetherError =>
  new TetherError(kind, kind, { cause });

test('attempt results from TetherError kinds and errno codes', () => {
  assert.equal(attemptResultOf(wrap('host-key-changed')), 'host-key-changed');
  assert.equal(attemptResultOf(wrap('auth')), 'auth');
  assert.equal(attemptResultOf(wrap('protocol')), 'protocol');
  assert.equal(attemptResultOf(wrap('closed-before-banner')), 'closed-before-banner');
  assert.equal(attemptResultOf(wrap('connect', sys('ECONNREFUSED', 'client-socket'))), 'refused');
  assert.equal(attemptResultOf(wrap('connect', sys('EHOSTUNREACH'))), 'unreachable');
  assert.equal(attemptResultOf(wrap('connect', sys('ENETUNREACH'))), 'unreachable');
  assert.equal(attemptResultOf(wrap('link', sys('ECONNRESET'))), 'reset');
  assert.equal(attemptResultOf(wrap('connect', sys('ETIMEDOUT'))), 'timeout');
  assert.equal(attemptResultOf(Object.assign(new Error('x'), { level: 'client-authentication' })), 'auth');
  assert.equal(attemptResultOf(new Error('Timed out while waiting for handshake')), 'timeout');
});

test('attempt results from recorded kind and code (recovery keeps no error objects)', () => {
  assert.equal(attemptResultFrom('connect', 'ECONNREFUSED'), 'refused');
  assert.equal(attemptResultFrom('closed-before-banner', 'ECONNRESET'), 'closed-before-banner');
  assert.equal(attemptResultFrom('link', 'ECONNRESET'), 'reset');
  assert.equal(attemptResultFrom('connect', 'ETIMEDOUT'), 'timeout');
  assert.equal(attemptResultFrom('host-key-revoked', undefined), 'host-key-changed');
});

test('triggers keep the raw code and the ssh2 level; a plain close is EOF', () => {
  assert.deepEqual(triggerOf(wrap('link', sys('ECONNRESET', 'client-socket'))), { code: 'ECONNRESET' });
  assert.deepEqual(triggerOf(undefined), { code: 'EOF' });
  assert.deepEqual(triggerOf(new Error('weird')), { code: 'unknown' });
});
