// What a person typed, remembered in memory for the life of one tether process so that reconnects do not ask again:
// decrypted private keys always (as an agent would hold them), passwords only when the caller opts in.
import type { ParsedKey } from 'ssh2';

/** Shared by every connect() of one session; never written anywhere. */
export class CredentialCache {
  /** Decrypted private keys by file path, with the file content they came from (a changed file is not trusted). */
  private readonly keys = new Map<string, { source: Buffer; key: ParsedKey }>();
  /** Passwords that worked, by `user@host:port`. */
  private readonly passwords = new Map<string, string>();

  /** @param rememberPasswords whether passwords that worked may be replayed on reconnect. */
  constructor(readonly rememberPasswords = false) {}

  /** The decrypted key for a file, if this exact file content was decrypted before. */
  key(path: string, source: Buffer): ParsedKey | undefined {
    const hit = this.keys.get(path);
    return hit && hit.source.equals(source) ? hit.key : undefined;
  }

  rememberKey(path: string, source: Buffer, key: ParsedKey): void {
    this.keys.set(path, { source, key });
  }

  password(account: string): string | undefined {
    return this.passwords.get(account);
  }

  rememberPassword(account: string, password: string): void {
    if (this.rememberPasswords) this.passwords.set(account, password);
  }

  forgetPassword(account: string): void {
    this.passwords.delete(account);
  }
}
