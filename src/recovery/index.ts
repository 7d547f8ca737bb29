// recovery/ — how tether keeps an interactive session alive. PURE: no sockets, no timers, no fs, no clock.
//
// Every component is fed plain values (the time `now` in monotonic ms, events from the transport)
// and reports when it next needs attention; the one loop in cli/ owns the timers (mosh's wait_time()):
//
//   LivenessEstimator   pings / keys / bytes in → 'send-ping' | 'suspect' | 'dead'; nextDeadline()
//   createSessionMachine (state, event, now) → { state, effects }; nextDeadline(state)
//   HeldInput           keys typed while not connected, bounded, flushed after the restore
//   fullJitterDelay / Backoff, detectSuspend, planIdleProbes / applyIdleProbeResults
//
// A driver loop, in outline (cli/ writes the real one):
//   sleep until min(liveness.nextDeadline(), machine.nextDeadline(state)); on waking:
//     report = detectSuspend({ setAtMono, dueAtMono, firedAtMono, setAtWall, firedAtWall })
//       → if report: feed { type: 'suspend-detected', drift }
//     while liveness.nextDeadline() <= now: v = liveness.tick(now)
//       'send-ping' → transport ping (already counted as sent); 'suspect' | 'dead' → feed { type: 'liveness', ... }
//     if machine.nextDeadline(state) <= now: feed { type: 'tick' }
//   transport bytes → liveness.onData(now) (true → feed 'old-link-alive'); ping replies → onPingReply(now, rtt)
//   keys → if status(state).holdInput: held.push(keys) else send, liveness.onUserInput(now)
//   feed(event): ({ state, effects } = machine.reduce(state, event, now)); perform effects in order;
//     openLink/openParallelLink(id) → connect, later 'attempt-succeeded'/'candidate-ready' or 'attempt-failed';
//     restore(id) → tmux reattach + resize + forwards, then 'restore-done'; a new link gets liveness.restart(now);
//     startProbe(probeId, purpose) → a TCP probe of the port (several overlap), later 'probe-result' with that id.
export { Backoff, BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffCeiling, fullJitterDelay, seededRandom } from './backoff.js';
export type { BackoffOptions, RandomSource } from './backoff.js';
export { RTT_ALPHA, RTT_BETA, RTT_K, rto, updateRtt } from './rtt.js';
export type { RttEstimate } from './rtt.js';
export { LivenessEstimator } from './liveness.js';
export { SESSION_LIVENESS } from './liveness-tuning.js';
export type { LivenessOptions, LivenessSnapshot, LivenessVerdict } from './liveness.js';
export { detectSuspend, isFreeze, isWallJump, timerLateness, wallDrift } from './suspend.js';
export type { SuspendKind, SuspendOptions, SuspendReport, WakeObservation } from './suspend.js';
export { HELD_INPUT_LIMIT, HeldInput } from './input-buffer.js';
export type { HeldInputStatus } from './input-buffer.js';
export {
  MIN_KEEPALIVE_MS,
  UNKNOWN_BOUNDS,
  afterIdleReset,
  afterSurvivedSilence,
  applyIdleProbeResults,
  idleLimitEstimate,
  isConverged,
  keepaliveForBound,
  keepaliveForBounds,
  planIdleProbes,
} from './idle-learning.js';
export type {
  IdleBounds,
  IdleLearningOptions,
  IdleMeasurement,
  IdleProbeOutcome,
  IdleProbeResult,
} from './idle-learning.js';
export { SURVIVED_RECORD_MS, createSessionMachine } from './session-machine.js';
export { isAttempt } from './session-steps.js';
export type { SessionMachine } from './session-machine.js';
export {
  EXIT_CONNECTION,
  FAST_PROBE_INTERVAL_MS,
  PATH_CHECK_MS,
  PROBE_INTERVAL_MS,
  initialSessionState,
  isFatalFailure,
  sessionNextDeadline,
  sessionStatus,
} from './session-state.js';
export { FATAL_RECOVERY_KINDS, MAX_FAILURES } from './session-types.js';
export { downtimeOf } from './session-outage.js';
export { MAX_ATTEMPT_EVIDENCE, NO_EVIDENCE, addFact, wantsIcmp } from './outage-evidence.js';
export type { OutageEvidence, OutageFact } from './outage-evidence.js';
export type {
  AttemptFailure,
  EndedOutage,
  Outage,
  OutageEnd,
  ResetOutcome,
  LinkTiming,
  SessionEffect,
  SessionEvent,
  SessionMachineOptions,
  SessionState,
  SessionStateName,
  SessionStatus,
  StopInfo,
  Transition,
} from './session-types.js';
