import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthTrace, methodsFromDenied } from './auth-trace.js';

test('offered methods and the accepted one, from ssh2 debug lines', () => {
  const t = new AuthTrace();
  for (const line of [
    'Outbound: Sending USERAUTH_REQUEST (none)',
    'Inbound: Received USERAUTH_FAILURE (publickey,password)',
    'Outbound: Sending USERAUTH_REQUEST (publickey -- check)',
    'Inbound: Received USERAUTH_PK_OK',
    'Outbound: Sending USERAUTH_REQUEST (publickey)',
    'Inbound: Received USERAUTH_SUCCESS',
  ]) {
    t.feed(line);
  }
  assert.deepEqual(t.offered(), ['publickey', 'password']);
  assert.equal(t.succeeded(), 'publickey');
});

test('keyboard-interactive answered, and a failed login leaves no accepted method', () => {
  const kbd = new AuthTrace();
  kbd.feed('Outbound: Sending USERAUTH_REQUEST (keyboard-interactive)');
  kbd.feed('Outbound: Sending USERAUTH_INFO_RESPONSE');
  kbd.feed('Inbound: Received USERAUTH_SUCCESS');
  assert.equal(kbd.succeeded(), 'keyboard-interactive');
  const failed = new AuthTrace();
  failed.feed('Outbound: Sending USERAUTH_REQUEST (password)');
  failed.feed('Inbound: Received USERAUTH_FAILURE (publickey)');
  assert.equal(failed.succeeded(), undefined);
  assert.deepEqual(failed.offered(), ['publickey']);
});

test('methods from ssh\'s Permission denied message', () => {
  assert.deepEqual(methodsFromDenied('ann@h: Permission denied (publickey,password).'), ['publickey', 'password']);
  assert.deepEqual(methodsFromDenied('something else'), []);
});
