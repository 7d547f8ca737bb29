// The session machine's state helpers: the initial state, its deadline, and what the status bar shows.
import {
  FATAL_RECOVERY_KINDS,
  type AttemptFailure,
  type SessionState,
  type SessionStatus,
} from './session-types.js';

/** The exit status of a connection that could not be kept (OpenSSH's). */
export const EXIT_CONNECTION = 255;
/** Cheap probe period while down. */
export const PROBE_INTERVAL_MS = 1_000;

/** The state right after the first connection succeeded, on link `linkId`. */
export function initialSessionState(linkId = 1): SessionState {
  return {
    name: 'connected',
    linkId,
    candidateId: undefined,
    candidateStartedAt: undefined,
    lastLinkId: linkId,
    outage: undefined,
    backoffExponent: 0,
    nextAttemptAt: undefined,
    nextProbeAt: undefined,
    probeInFlight: false,
    lastProbeOk: undefined,
    pendingFatal: undefined,
    stop: undefined,
  };
}

/** When the owner must next send a `tick` (Infinity: only events can move the machine). */
export function sessionNextDeadline(s: SessionState): number {
  const probe = (s.name === 'down' || s.name === 'reconnecting') && !s.probeInFlight ? (s.nextProbeAt ?? Infinity) : Infinity;
  const attempt = s.name === 'down' ? (s.nextAttemptAt ?? Infinity) : Infinity;
  return Math.min(probe, attempt);
}

/** The status bar's view of the machine. */
export function sessionStatus(s: SessionState, now: number): SessionStatus {
  const last = s.outage?.failures[s.outage.failures.length - 1];
  return {
    name: s.name,
    attempts: s.outage?.attempts ?? 0,
    nextAttemptInMs: s.name === 'down' && s.nextAttemptAt !== undefined ? Math.max(0, s.nextAttemptAt - now) : undefined,
    outageMs: s.outage === undefined ? undefined : now - s.outage.detectedAt,
    lastError: s.stop?.message ?? last?.message,
    holdInput: s.name !== 'connected',
  };
}

/** Whether an error ends recovery: flagged fatal, or of a kind no retry can fix. */
export function isFatalFailure(kind: AttemptFailure['kind'], fatal: boolean): boolean {
  return fatal || FATAL_RECOVERY_KINDS.includes(kind);
}
