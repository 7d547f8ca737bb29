import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NegotiationFailure, NegotiationLog } from './negotiation.js';
import { beforeBannerError, linkClosedError } from './link-errors.js';
import { errorCode } from '../common/errors.js';

test('each class of mismatch gets ssh\'s wording and both lists', () => {
  const log = new NegotiationLog();
  log.feed('Handshake: (local) C->S cipher: aes128-ctr,aes256-ctr');
  log.feed('Handshake: (remote) C->S cipher: 3des-cbc');
  log.feed('Handshake: (local) Host key format: ssh-ed25519');
  log.feed('Handshake: (remote) Host key format: ssh-dss');
  log.feed('Handshake: (local) C->S MAC: hmac-sha2-256');
  log.feed('Handshake: (remote) C->S MAC: hmac-md5');
  const cipher = log.failure(new Error('Handshake failed: no matching C->S cipher'), '10.0.0.1', 22);
  assert.equal(cipher?.message, 'Unable to negotiate with 10.0.0.1 port 22: no matching cipher found. Their offer: 3des-cbc');
  assert.ok(cipher?.cause instanceof NegotiationFailure);
  assert.deepEqual(cipher.cause.ours, ['aes128-ctr', 'aes256-ctr']);
  assert.equal(log.failure(new Error('Handshake failed: no matching host key format'), 'h', 22)?.message.includes('no matching host key type found. Their offer: ssh-dss'), true);
  assert.equal(log.failure(new Error('Handshake failed: no matching C->S MAC'), 'h', 22)?.message.includes('no matching MAC found. Their offer: hmac-md5'), true);
  assert.equal(log.failure(new Error('Something else'), 'h', 22), undefined);
  assert.equal(cipher.kind, 'protocol');
  assert.equal(cipher.fatal, true);
});

test('link close reasons carry ssh\'s words and an errno-like code', () => {
  const reset = linkClosedError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), '1.2.3.4 port 22');
  assert.equal(reset.message, 'Connection reset by 1.2.3.4 port 22');
  assert.equal(errorCode(reset), 'ECONNRESET');
  const pipe = linkClosedError(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }), '1.2.3.4 port 22');
  assert.equal(pipe.message, 'Connection to 1.2.3.4 port 22: Broken pipe');
  const eof = linkClosedError(undefined, '1.2.3.4 port 22');
  assert.equal(errorCode(eof), 'EOF');
  const disc = linkClosedError(Object.assign(new Error('Too many sessions'), { code: 2 }), '1.2.3.4 port 22');
  assert.match(disc.message, /^Received disconnect from 1\.2\.3\.4 port 22:2: Too many sessions\nDisconnected from 1\.2\.3\.4 port 22$/);
  assert.equal(errorCode(disc), 'SSH_DISCONNECT');
  assert.equal(beforeBannerError(undefined, 'p').kind, 'closed-before-banner');
});
