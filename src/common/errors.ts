// One error type for the whole program: a kind, whether recovery may retry, and the original cause.

/** What went wrong, in words the classifier, the CLI and the tests switch on. */
export type ErrorKind =
  | 'usage' // bad argv or option value
  | 'config' // broken ssh_config or tether settings
  | 'io' // a local file could not be read or written
  | 'connect' // TCP connect failed (refused, unreachable, timed out)
  | 'closed-before-banner' // TCP accepted, closed before the SSH identification
  | 'protocol' // handshake failed: no common algorithm, bad packet
  | 'auth' // all authentication methods failed
  | 'host-key-unknown' // not in known_hosts and StrictHostKeyChecking refused it
  | 'host-key-changed' // differs from known_hosts or from the key pinned at first connect
  | 'host-key-revoked' // marked @revoked in known_hosts
  | 'link' // an established link failed: reset, EOF, timeout
  | 'remote' // the remote side refused a channel, command or forward
  | 'unsupported' // an option tether does not implement (fall back to ssh)
  | 'internal';

/** Kinds that no amount of retrying will fix: recovery stops and explains. */
const FATAL_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'usage',
  'config',
  'protocol',
  'auth',
  'host-key-unknown',
  'host-key-changed',
  'host-key-revoked',
  'unsupported',
]);

/** The error every layer throws; `cause` keeps the original (errno, ssh2 level). */
export class TetherError extends Error {
  override readonly name = 'TetherError';
  /** Whether a reconnect loop must stop on this error. */
  readonly fatal: boolean;
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options: { cause?: unknown; fatal?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.fatal = options.fatal ?? FATAL_KINDS.has(kind);
  }
}

/** The errno-style code of an error or its causes (`ECONNRESET`, `ENETUNREACH`, ...), if any. */
export function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
    e = typeof e === 'object' && 'cause' in e ? e.cause : undefined;
  }
  return undefined;
}

/** ssh2's error category (`client-socket`, `client-timeout`, `client-authentication`, `protocol`). */
export function ssh2Level(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (typeof e === 'object' && 'level' in e && typeof e.level === 'string') return e.level;
    e = typeof e === 'object' && 'cause' in e ? e.cause : undefined;
  }
  return undefined;
}

/** A one-line message for any thrown value. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
