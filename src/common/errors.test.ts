import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TetherError, errorCode, ssh2Level } from './errors.js';

test('fatal follows the kind unless overridden', () => {
  assert.equal(new TetherError('auth', 'x').fatal, true);
  assert.equal(new TetherError('link', 'x').fatal, false);
  assert.equal(new TetherError('link', 'x', { fatal: true }).fatal, true);
});

test('errorCode and ssh2Level walk the cause chain', () => {
  const inner = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', level: 'client-socket' });
  const outer = new TetherError('link', 'reset', { cause: inner });
  assert.equal(errorCode(outer), 'ECONNRESET');
  assert.equal(ssh2Level(outer), 'client-socket');
  assert.equal(errorCode(new Error('plain')), undefined);
});
