// One IdentityFile: its public half (to offer without a passphrase, as ssh does) and its private half, decrypted on
// demand with a passphrase asked through the Prompter only when the server is willing to accept the key.
import { readFileSync, statSync } from 'node:fs';
import { parseKey } from './ssh2-client.js';
import type { ParsedKey } from 'ssh2';
import type { CredentialCache } from './credential-cache.js';
import type { Prompter } from './prompter.js';
import { codeOf, errnoText } from './errno-text.js';

/** A key file that exists and whose public half is known. */
export interface IdentityFile {
  readonly path: string;
  readonly publicKey: ParsedKey;
  /** Loads (decrypting if needed) the private key; undefined when the user gave up or BatchMode forbids asking. */
  loadPrivate(): Promise<ParsedKey | undefined>;
}

/** How to ask for passphrases. */
export interface PassphrasePolicy {
  readonly prompter: Prompter;
  readonly batchMode: boolean;
  /** NumberOfPasswordPrompts. */
  readonly attempts: number;
  /** Keys decrypted by earlier connections of this process. */
  readonly cache?: CredentialCache;
}

function parse(data: Buffer | string, passphrase?: string): ParsedKey | Error {
  const key = parseKey(data, passphrase);
  if (Array.isArray(key)) return (key as ParsedKey[])[0] ?? new Error('no key in file');
  return key;
}

/** The public key stored, unencrypted, in the header of an `openssh-key-v1` private key. */
export function publicFromOpenSshPrivate(text: string): ParsedKey | undefined {
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (!m?.[1]) return undefined;
  const buf = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
  const magic = 'openssh-key-v1\0';
  if (buf.subarray(0, magic.length).toString('latin1') !== magic) return undefined;
  let off = magic.length;
  const readString = (): Buffer | undefined => {
    if (off + 4 > buf.length) return undefined;
    const len = buf.readUInt32BE(off);
    off += 4;
    if (off + len > buf.length) return undefined;
    const s = buf.subarray(off, off + len);
    off += len;
    return s;
  };
  readString(); // cipher name
  readString(); // kdf name
  readString(); // kdf options
  if (off + 4 > buf.length) return undefined;
  off += 4; // number of keys
  const blob = readString();
  if (!blob || blob.length < 4) return undefined;
  const type = blob.subarray(4, 4 + blob.readUInt32BE(0)).toString('latin1');
  const pub = parse(`${type} ${blob.toString('base64')}`);
  return pub instanceof Error ? undefined : pub;
}

function readPublicFile(path: string): ParsedKey | undefined {
  try {
    const pub = parse(readFileSync(`${path}.pub`, 'utf8'));
    return pub instanceof Error ? undefined : pub;
  } catch {
    return undefined;
  }
}

/** Asks for the passphrase up to `attempts` times (ssh: an empty answer skips the key). */
async function decrypt(path: string, data: Buffer, policy: PassphrasePolicy): Promise<ParsedKey | undefined> {
  const remembered = policy.cache?.key(path, data);
  if (remembered) return remembered;
  if (policy.batchMode) return undefined;
  for (let i = 0; i < Math.max(1, policy.attempts); i++) {
    const passphrase = await policy.prompter.secret(`Enter passphrase for key '${path}': `);
    if (passphrase === undefined || passphrase === '') return undefined;
    const key = parse(data, passphrase);
    if (!(key instanceof Error)) {
      policy.cache?.rememberKey(path, data, key);
      return key;
    }
  }
  return undefined;
}

/**
 * OpenSSH's sshkey_perm_ok, checked when the private half is needed: a key file owned by the user that group or
 * others may access is refused with ssh's warning (its lines, then `Load key "...": bad permissions`).
 * undefined when the file may be used (also: not ours, no uid on this platform, stat failed).
 */
export function unprotectedKeyLines(path: string): string[] | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  let uidOf: number;
  let mode: number;
  try {
    ({ uid: uidOf, mode } = statSync(path));
  } catch {
    return undefined;
  }
  if (uidOf !== uid || (mode & 0o077) === 0) return undefined;
  return [
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    '@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @',
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    `Permissions 0${(mode & 0o777).toString(8).padStart(3, '0')} for '${path}' are too open.`,
    'It is required that your private key files are NOT accessible by others.',
    'This private key will be ignored.',
    `Load key "${path}": bad permissions`,
  ];
}

/** The private half once, after the permission check (ssh checks before it even tries a passphrase). */
function guardedLoader(path: string, policy: PassphrasePolicy, load: () => Promise<ParsedKey | undefined>): () => Promise<ParsedKey | undefined> {
  let cached: Promise<ParsedKey | undefined> | undefined;
  return () =>
    (cached ??= (() => {
      const refused = unprotectedKeyLines(path);
      if (!refused) return load();
      for (const line of refused) policy.prompter.info(line);
      return Promise.resolve(undefined);
    })());
}

/** Loads one IdentityFile as ssh does: missing → skipped silently; unreadable or malformed → one warning line. */
export async function loadIdentityFile(path: string, policy: PassphrasePolicy): Promise<IdentityFile | undefined> {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (err) {
    const code = codeOf(err);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') policy.prompter.info(`Load key "${path}": ${errnoText(code)}`);
    return undefined;
  }
  const plain = parse(data);
  if (!(plain instanceof Error)) {
    if (!plain.isPrivateKey()) return undefined;
    return { path, publicKey: plain, loadPrivate: guardedLoader(path, policy, () => Promise.resolve(plain)) };
  }
  if (!/encrypted|passphrase/i.test(plain.message)) {
    policy.prompter.info(`Load key "${path}": invalid format`);
    return undefined;
  }
  const loadPrivate = guardedLoader(path, policy, () => decrypt(path, data, policy));
  const publicKey = readPublicFile(path) ?? publicFromOpenSshPrivate(data.toString('latin1'));
  if (publicKey) return { path, publicKey, loadPrivate };
  // An old PEM key with no .pub beside it: ssh, too, must decrypt it before it can offer it.
  const key = await loadPrivate();
  return key ? { path, publicKey: key, loadPrivate: () => Promise.resolve(key) } : undefined;
}
