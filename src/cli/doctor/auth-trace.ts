// Reads ssh2's debug lines for what authentication looked like: the methods the server offered and the one it took.

/** Collects the USERAUTH exchange of one connection from ssh2's debug output. */
export class AuthTrace {
  /** Methods from the latest USERAUTH_FAILURE (what the server still allows). */
  private methods: string[] = [];
  /** The method of the latest USERAUTH_REQUEST sent. */
  private lastTried: string | undefined;
  /** The method the server answered USERAUTH_SUCCESS to. */
  private accepted: string | undefined;

  /** Feed every ssh2 debug line here. */
  readonly feed = (line: string): void => {
    const sent = /^Outbound: Sending USERAUTH_REQUEST \(([^)]+)\)/.exec(line);
    if (sent?.[1] !== undefined) {
      const m = sent[1].replace(/ -- .*$/, '');
      this.lastTried = m === 'changed password' ? 'password' : m;
      return;
    }
    if (/^Outbound: Sending USERAUTH_INFO_RESPONSE/.test(line)) this.lastTried = 'keyboard-interactive';
    const failed = /^Inbound: Received USERAUTH_FAILURE \(([^)]*)\)/.exec(line);
    if (failed?.[1] !== undefined) this.methods = failed[1].split(',').filter((m) => m !== '');
    if (/^Inbound: Received USERAUTH_SUCCESS/.test(line)) this.accepted = this.lastTried;
  };

  /** The methods the server offered (empty if it never listed them, e.g. `none` was accepted). */
  offered(): string[] {
    return [...this.methods];
  }

  /** The method that logged us in, if one did. */
  succeeded(): string | undefined {
    return this.accepted;
  }
}

/** The methods named in ssh's `Permission denied (a,b).` message. */
export function methodsFromDenied(message: string): string[] {
  const m = /Permission denied \(([^)]*)\)/.exec(message);
  return m?.[1] ? m[1].split(',').filter((x) => x !== '') : [];
}
