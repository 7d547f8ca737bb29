// The lab's login user: one system account, but a password, home and authorized_keys private to each lab.
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { must, run } from './run.js';

/** The login user every lab uses (created once, password locked in the host's own /etc/shadow). */
export const LAB_USER = 'tetherlab';

/** Where the user's home is, as seen inside the lab server (each lab binds its own directory there). */
export const LAB_HOME = `/home/${LAB_USER}`;

/** uid and gid of the lab user. */
export interface LabUserIds {
  readonly uid: number;
  readonly gid: number;
}

async function ids(): Promise<(LabUserIds & { home: string; shell: string }) | undefined> {
  const r = await run('getent', ['passwd', LAB_USER]);
  const f = r.stdout.trim().split(':');
  if (r.code !== 0 || f.length < 7) return undefined;
  return { uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '', shell: f[6] ?? '' };
}

/**
 * Creates the system user if missing (parallel labs may race: "already exists" is fine), and makes sure an
 * existing one has the home the server binds over and a shell that runs commands.
 */
export async function ensureLabUser(): Promise<LabUserIds> {
  let found = await ids();
  // another lab may hold the passwd lock for a moment: a few tries
  for (let i = 0; !found && i < 5; i++) {
    const r = await run('useradd', ['--system', '--create-home', '--home-dir', LAB_HOME, '--shell', '/bin/bash', '--comment', 'tether fault lab', LAB_USER]);
    found = await ids();
    if (!found && i === 4) throw new Error(`lab: cannot create user ${LAB_USER}: ${r.stderr.trim()}`);
    if (!found) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!found) throw new Error(`lab: no user ${LAB_USER}`);
  if (found.home !== LAB_HOME || found.shell !== '/bin/bash') {
    await must('usermod', ['--home', LAB_HOME, '--shell', '/bin/bash', LAB_USER]);
  }
  mkdirSync(LAB_HOME, { recursive: true });
  return { uid: found.uid, gid: found.gid };
}

/** A random password made of letters and digits (safe in any shell or askpass script). */
export function randomPassword(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, 'x');
}

/** SHA-512 crypt hash of a password, as /etc/shadow wants it (perl's crypt(): perl-base is on every Debian). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(12).toString('base64').replace(/[^A-Za-z0-9]/g, '.');
  const script = '$p = <STDIN>; chomp $p; print crypt($p, "\\$6\\$" . $ARGV[0] . "\\$")';
  const hash = (await must('perl', ['-e', script, salt], { input: `${password}\n` })).trim();
  if (!hash.startsWith('$6$')) throw new Error(`lab: crypt() gave no SHA-512 hash: ${hash}`);
  return hash;
}

/**
 * Writes the lab's copy of /etc/shadow with this password for the lab user. The server binds the copy
 * over /etc/shadow, so each lab has its own password. Written in place: the bind mount keeps the inode.
 */
export async function writeLabShadow(path: string, password: string): Promise<void> {
  const hash = await hashPassword(password);
  const days = Math.floor(Date.now() / 86_400_000);
  const lines = readFileSync('/etc/shadow', 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith(`${LAB_USER}:`));
  lines.push(`${LAB_USER}:${hash}:${days}:0:99999:7:::`);
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o640 });
  chmodSync(path, 0o640);
}

/** Makes the lab's private home (bound over /home/tetherlab in the server) with an empty authorized_keys. */
export function makeLabHome(dir: string, who: LabUserIds): string {
  const sshDir = join(dir, '.ssh');
  mkdirSync(sshDir, { recursive: true });
  const keys = join(sshDir, 'authorized_keys');
  writeFileSync(keys, '', { mode: 0o600 });
  chmodSync(dir, 0o755);
  chmodSync(sshDir, 0o700);
  for (const p of [dir, sshDir, keys]) chownSync(p, who.uid, who.gid);
  return keys;
}

/** A client key pair made by ssh-keygen. */
export interface ClientKey {
  /** Path of the private key file (OpenSSH format). */
  readonly privatePath: string;
  /** Path of the public key file. */
  readonly publicPath: string;
  /** The public key line (`ssh-ed25519 AAAA... comment`). */
  readonly publicKey: string;
  /** The passphrase, or '' when the key is not encrypted. */
  readonly passphrase: string;
}

// Counts keys made in this process so file names never clash.
let keyCounter = 0;

/** Generates an ed25519 (or rsa) client key in `dir`, optionally encrypted with a passphrase. */
export async function generateKey(dir: string, opts: { passphrase?: string; type?: 'ed25519' | 'rsa' } = {}): Promise<ClientKey> {
  keyCounter += 1;
  const type = opts.type ?? 'ed25519';
  const privatePath = join(dir, `id_${type}_${keyCounter}`);
  const passphrase = opts.passphrase ?? '';
  await must('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', `tether-lab-key-${keyCounter}`, '-f', privatePath]);
  const publicPath = `${privatePath}.pub`;
  return { privatePath, publicPath, publicKey: readFileSync(publicPath, 'utf8').trim(), passphrase };
}

/** Adds a public key line to an authorized_keys file (idempotent). */
export function authorize(keysFile: string, publicKey: string): void {
  const lines = readKeys(keysFile);
  if (!lines.includes(publicKey.trim())) lines.push(publicKey.trim());
  writeKeys(keysFile, lines);
}

/** Removes a public key from an authorized_keys file (matched on type and base64 blob). */
export function revoke(keysFile: string, publicKey: string): void {
  const blob = publicKey.trim().split(/\s+/).slice(0, 2).join(' ');
  writeKeys(keysFile, readKeys(keysFile).filter((l) => l.split(/\s+/).slice(0, 2).join(' ') !== blob));
}

function readKeys(keysFile: string): string[] {
  return readFileSync(keysFile, 'utf8').split('\n').filter((l) => l.trim() !== '');
}

function writeKeys(keysFile: string, lines: readonly string[]): void {
  writeFileSync(keysFile, lines.map((l) => `${l}\n`).join(''));
}
