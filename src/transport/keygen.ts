// New ed25519 key pairs (the demo's keys, the tests'), drawn again when ssh2 cannot read its own output back.
import ssh2 from 'ssh2';

/** What a new pair may carry: a comment, and a passphrase that encrypts the private half (aes256-ctr, 16 rounds). */
export interface KeyPairOptions {
  comment?: string;
  passphrase?: string;
}

/**
 * An ed25519 pair that ssh2 can read back: its generator drops leading zero bytes of the key (about 1 pair in 300
 * comes out 30 or 31 bytes long and is then "Malformed": mscdex/ssh2#1390, #1513), so draw again until both halves
 * parse and the public key has its full length.
 */
export function goodKeyPair(options: KeyPairOptions = {}): { private: string; public: string } {
  const { comment, passphrase } = options;
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', {
      ...(comment === undefined ? {} : { comment }),
      ...(passphrase === undefined ? {} : { passphrase, cipher: 'aes256-ctr', rounds: 16 }),
    });
    const priv = ssh2.utils.parseKey(pair.private, passphrase);
    const pub = ssh2.utils.parseKey(pair.public);
    if (!(priv instanceof Error) && !(pub instanceof Error) && !Array.isArray(pub) && pub.getPublicSSH().length === 51) {
      return { private: pair.private, public: pair.public };
    }
  }
}
