import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TetherError } from '../common/errors.js';
import {
  defaultSessionName,
  generateLocalId,
  hasTetherPrefix,
  resolveSessionName,
  validateSessionName,
} from './session-name.js';

test('the local id is short, lowercase alnum, and differs between processes', () => {
  const a = generateLocalId();
  const b = generateLocalId();
  assert.match(a, /^[a-z0-9]{8}$/);
  assert.notEqual(a, b);
  assert.equal(generateLocalId(() => Buffer.from([0, 1, 2, 35, 36, 37, 255, 10])), 'abc9abdk');
});

test('default name is tether-<id>', () => {
  assert.equal(defaultSessionName('k3x9'), 'tether-k3x9');
  assert.equal(resolveSessionName({ localId: 'k3x9' }), 'tether-k3x9');
  assert.ok(hasTetherPrefix('tether-k3x9'));
  assert.ok(!hasTetherPrefix('work'));
});

test('--session accepts nasty but tmux-safe names', () => {
  for (const name of ['work', "it's mine", 'a b', '`x`', '(id)', '"dq"', 'ünïcødé', '-dash', '=eq', 'x;y&z|w', '[fg=red]']) {
    assert.equal(resolveSessionName({ session: name, localId: 'z' }), name);
  }
});

test('--session refuses what tmux cannot target, naming the value', () => {
  for (const name of ['', 'a.b', 'a:b', 'tab\there', 'nl\n', 'x'.repeat(65), '$(id)', '$x', 'a\\b', '#H', '#{session_id}']) {
    assert.throws(
      () => validateSessionName(name),
      (err: unknown) => err instanceof TetherError && err.kind === 'usage' && err.message.includes('--session'),
      JSON.stringify(name),
    );
  }
  assert.throws(() => resolveSessionName({ session: 'a.b', localId: 'z' }), /"a\.b"/);
});
