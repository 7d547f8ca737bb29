// Errors as evidence: what a failed reconnect attempt met, and what a broken link's trigger was.
import type { ErrorKind } from '../common/errors.js';
import { errorCode, ssh2Level, TetherError } from '../common/errors.js';
import type { AttemptResult, TriggerEvidence } from './evidence.js';

/** errno codes meaning there is no route from here. */
const UNREACHABLE: ReadonlySet<string> = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL']);

/** What one failed attempt met, from the error the transport threw (TetherError kind first, then errno). */
export function attemptResultOf(err: unknown): AttemptResult {
  return attemptResultFrom(err instanceof TetherError ? err.kind : undefined, errorCode(err), ssh2Level(err));
}

/** The same from recorded parts (recovery keeps kind and code of each failure, not the error). */
export function attemptResultFrom(kind: ErrorKind | undefined, code: string | undefined, level?: string): AttemptResult {
  switch (kind) {
    case 'host-key-changed':
    case 'host-key-revoked':
      return 'host-key-changed';
    case 'auth':
      return 'auth';
    case 'protocol':
      return 'protocol';
    case 'closed-before-banner':
      return 'closed-before-banner';
    default:
      break;
  }
  if (code === 'ECONNREFUSED') return 'refused';
  if (code !== undefined && UNREACHABLE.has(code)) return 'unreachable';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  if (level === 'client-authentication') return 'auth';
  if (level === 'protocol' || level === 'handshake') return 'protocol';
  return 'timeout';
}

/** The trigger of a broken link: the errno / event code; `EOF` when the peer just closed. */
export function triggerOf(err: unknown): TriggerEvidence {
  return { code: errorCode(err) ?? (err === undefined || err === null ? 'EOF' : 'unknown') };
}
