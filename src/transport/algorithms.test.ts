import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TetherError } from '../common/errors.js';
import { algorithmsFor, preferKnownTypes, ssh2Supported } from './algorithms.js';
import type { EffectiveConfig } from '../config/types.js';

const base = {
  kexAlgorithms: ['sntrup761x25519-sha512', 'curve25519-sha256', 'ecdh-sha2-nistp256'],
  hostKeyAlgorithms: ['ssh-ed25519-cert-v01@openssh.com', 'ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256'],
  ciphers: ['chacha20-poly1305@openssh.com', 'aes128-ctr'],
  macs: ['umac-64-etm@openssh.com', 'hmac-sha2-256-etm@openssh.com'],
  compression: false,
} as unknown as EffectiveConfig;

test('ssh2 supports the basics we rely on', () => {
  const s = ssh2Supported();
  assert.ok(s.kex.includes('curve25519-sha256'));
  assert.ok(s.serverHostKey.includes('ssh-ed25519'));
});

test('config lists are cut to what ssh2 implements, in the configured order', () => {
  const a = algorithmsFor(base, []);
  assert.deepEqual(a.kex, ['curve25519-sha256', 'ecdh-sha2-nistp256']);
  assert.deepEqual(a.serverHostKey, ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256']);
  assert.deepEqual(a.hmac, ['hmac-sha2-256-etm@openssh.com']);
  assert.deepEqual(a.compress, ['none']);
  assert.deepEqual(algorithmsFor({ ...base, compression: true }, []).compress, ['zlib@openssh.com', 'zlib', 'none']);
});

test('host-key types known for the host go first, like ssh\'s order_hostkeyalgs', () => {
  assert.deepEqual(preferKnownTypes(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256'], ['ssh-rsa']), [
    'rsa-sha2-512',
    'rsa-sha2-256',
    'ssh-ed25519',
    'ecdsa-sha2-nistp256',
  ]);
  const hostKeys = algorithmsFor(base, ['ecdsa-sha2-nistp256']).serverHostKey as string[];
  assert.deepEqual(hostKeys.slice(0, 2), ['ecdsa-sha2-nistp256', 'ssh-ed25519']);
});

test('nothing implementable left: kind unsupported (the cli falls back to ssh)', () => {
  assert.throws(
    () => algorithmsFor({ ...base, kexAlgorithms: ['sntrup761x25519-sha512'] }, []),
    (e: unknown) => e instanceof TetherError && e.kind === 'unsupported' && /KexAlgorithms/.test(e.message),
  );
});
