// The session machine's state helpers: the initial state, its deadline, and what the status bar shows.
import {
  FATAL_RECOVERY_KINDS,
  type AttemptFailure,
  type SessionState,
  type SessionStatus,
} from './session-types.js';

/** The exit status of a connection that could not be kept (OpenSSH's). */
export const EXIT_CONNECTION = 255;
/** Cheap probe period once the outage is old, or once a probe got through (the attempts take it from there). */
export const PROBE_INTERVAL_MS = 1_000;
/** Probe period while the outage is young: the path coming back is noticed within about this. */
export const FAST_PROBE_INTERVAL_MS = 100;
/** How long an outage is young (most outages end within it; a longer one is probed once a second). */
export const FAST_PROBE_FOR_MS = 60_000;
/** In the first half of that, twice as often (a connect that fails at once costs nothing; a SYN into a blackhole, one packet). */
export const FIRST_PROBES_FACTOR = 2;
/** Probes in flight at most (a probe into a dead path lasts its timeout, about a second). */
export const MAX_PROBES_IN_FLIGHT = 24;
/** Least time a suspect link's path is checked: four probes 100 ms apart, so one lost SYN is not a silent path. */
export const PATH_CHECK_MS = 400;

/** The state right after the first connection succeeded, on link `linkId`. */
export function initialSessionState(linkId = 1): SessionState {
  return {
    name: 'connected',
    linkId,
    candidateId: undefined,
    candidateStartedAt: undefined,
    candidateProbeSeq: 0,
    spareId: undefined,
    spareProbeSeq: 0,
    lastLinkId: linkId,
    outage: undefined,
    leadingFacts: [],
    backoffExponent: 0,
    nextAttemptAt: undefined,
    nextProbeAt: undefined,
    probesInFlight: 0,
    probeSeq: 0,
    probeFloor: 0,
    probeSeen: 0,
    lastProbeOk: undefined,
    pathCheckUntil: undefined,
    adoptWhenReady: false,
    candidateReady: false,
    pendingFatal: undefined,
    stop: undefined,
  };
}

/** When the owner must next send a `tick` (Infinity: only events can move the machine). */
export function sessionNextDeadline(s: SessionState): number {
  const probe = probing(s) && s.probesInFlight < MAX_PROBES_IN_FLIGHT ? (s.nextProbeAt ?? Infinity) : Infinity;
  const attempt = s.name === 'down' ? (s.nextAttemptAt ?? Infinity) : Infinity;
  const pathCheck = s.name === 'suspect' ? (s.pathCheckUntil ?? Infinity) : Infinity;
  return Math.min(probe, attempt, pathCheck);
}

/** Whether probes run: while down or reconnecting, and while a suspect link's path is checked. */
export function probing(s: SessionState): boolean {
  return s.name === 'down' || s.name === 'reconnecting' || (s.name === 'suspect' && s.pathCheckUntil !== undefined);
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
