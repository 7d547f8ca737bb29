import { test } from 'node:test';
import assert from 'node:assert/strict';
import ssh2 from 'ssh2';
import { goodKeyPair } from './keygen.js';

test('every pair reads back whole: public key 51 bytes on the wire, private key parses (with its passphrase)', () => {
  // ssh2's own generator gets about 1 pair in 256 wrong: 1000 pairs meet it a few times
  for (let i = 0; i < 1000; i++) {
    const pair = goodKeyPair({ comment: `k${i}` });
    const pub = ssh2.utils.parseKey(pair.public);
    assert.ok(!(pub instanceof Error) && !Array.isArray(pub), `pair ${i}: ${String(pub)}`);
    assert.equal(pub.getPublicSSH().length, 51);
    assert.equal(pub.comment, `k${i}`);
    assert.ok(!(ssh2.utils.parseKey(pair.private) instanceof Error));
  }
  const locked = goodKeyPair({ passphrase: 'pw' });
  assert.ok(ssh2.utils.parseKey(locked.private) instanceof Error, 'encrypted: unreadable without the passphrase');
  assert.ok(!(ssh2.utils.parseKey(locked.private, 'pw') instanceof Error));
});
