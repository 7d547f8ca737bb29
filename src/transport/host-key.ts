// A server host key as ssh shows it: wire blob, type name, the short type word and the SHA256 fingerprint.
import { createHash } from 'node:crypto';

/** The host key a server proved it holds during key exchange. */
export interface HostKey {
  /** The key in SSH wire format (the blob known_hosts stores in base64). */
  readonly data: Buffer;
  /** The SSH key type name: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, ... */
  readonly type: string;
  /** `SHA256:` + unpadded base64 of the blob's SHA-256, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
}

/** Builds a HostKey from its wire blob (the type is the blob's first string). */
export function hostKeyFromBlob(data: Buffer): HostKey {
  return { data, type: blobKeyType(data), fingerprint: fingerprintOf(data) };
}

/** The key type name stored at the start of an SSH key blob; '' when the blob is malformed. */
export function blobKeyType(blob: Buffer): string {
  if (blob.length < 4) return '';
  const len = blob.readUInt32BE(0);
  if (len > blob.length - 4) return '';
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** OpenSSH's SHA256 fingerprint of a key blob. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The word ssh prints for a key type (`ED25519`, `ECDSA`, `RSA`, `DSA`), as in "ED25519 key fingerprint is". */
export function keyTypeWord(type: string): string {
  if (type.startsWith('ssh-ed25519')) return 'ED25519';
  if (type.startsWith('ecdsa-sha2-')) return 'ECDSA';
  if (type.startsWith('ssh-rsa') || type.startsWith('rsa-sha2-')) return 'RSA';
  if (type.startsWith('ssh-dss')) return 'DSA';
  if (type.startsWith('sk-ssh-ed25519')) return 'ED25519-SK';
  if (type.startsWith('sk-ecdsa')) return 'ECDSA-SK';
  return type.toUpperCase();
}

/** The host-key algorithm names that produce keys of this type (for ordering HostKeyAlgorithms). */
export function algorithmsForKeyType(type: string): string[] {
  if (type === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return [type];
}
