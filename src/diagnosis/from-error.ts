// Errors as evidence: what a failed reconnect attempt met, and what a broken link's trigger was.
import { errorCode, ssh2Level, TetherError } from '../common/errors.js';
import type { AttemptResult, TriggerEvidence } from './evidence.js';

/** errno codes meaning there is no route from here. */
const UNREACHABLE: ReadonlySet<string> = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL']);

/** What one failed attempt met, from the error the transport threw (TetherError kind first, then errno). */
export function attemptResultOf(err: unknown): AttemptResult {
  if (err instanceof TetherError) {
    switch (err.kind) {
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
  }
  const code = errorCode(err);
  if (code === 'ECONNREFUSED') return 'refused';
  if (code !== undefined && UNREACHABLE.has(code)) return 'unreachable';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  const level = ssh2Level(err);
  if (level === 'client-authentication') return 'auth';
  if (level === 'protocol' || level === 'handshake') return 'protocol';
  return 'timeout';
}

/** The trigger of a broken link: the errno / event code and ssh2's level; `EOF` when the peer just closed. */
export function triggerOf(err: unknown): TriggerEvidence {
  const code = errorCode(err);
  const level = ssh2Level(err);
  const t: TriggerEvidence = { code: code ?? (err === undefined || err === null ? 'EOF' : 'unknown') };
  if (level !== undefined) t.level = level;
  return t;
}
