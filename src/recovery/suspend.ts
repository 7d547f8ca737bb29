// Did this machine sleep or this process freeze? Pure checks over timer and clock readings.

/** Thresholds; defaults tolerate a busy event loop and NTP slewing but not a sleep. */
export interface SuspendOptions {
  /** A timer may be this late (plus twice its interval) before it counts as a freeze. */
  lateGraceMs?: number;
  /** The wall clock may run ahead of the monotonic clock by this much before it counts as a suspend. */
  wallJumpMs?: number;
}

/** How the suspend was seen: a late timer (SIGSTOP, frozen VM) or the wall clock running on alone (system sleep). */
export type SuspendKind = 'late-timer' | 'wall-clock-jump';

/** A detected suspend, with the numbers that prove it (they go into the diagnosis evidence). */
export interface SuspendReport {
  readonly kind: SuspendKind;
  /** How long the process was away, best estimate. */
  readonly awayMs: number;
  /** How late the timer fired (monotonic). */
  readonly lateByMs: number;
  /** Wall-clock delta minus monotonic delta over the same span. */
  readonly wallDriftMs: number;
}

/** One wake-up of the owner's loop: when it asked to wake and when it did, on both clocks. */
export interface WakeObservation {
  /** Monotonic time the timer was set. */
  readonly setAtMono: number;
  /** Monotonic time it was asked to fire. */
  readonly dueAtMono: number;
  /** Monotonic time it fired. */
  readonly firedAtMono: number;
  /** Wall-clock times at set and at fire (Date.now()); optional. */
  readonly setAtWall?: number;
  readonly firedAtWall?: number;
}

const LATE_GRACE_MS = 2_000;
const WALL_JUMP_MS = 3_000;

/** How late a timer fired (never negative). */
export function timerLateness(dueAtMono: number, firedAtMono: number): number {
  return Math.max(0, firedAtMono - dueAtMono);
}

/** Whether a timer of `intervalMs` firing `lateByMs` late means a freeze: late > grace + 2 × interval. */
export function isFreeze(intervalMs: number, lateByMs: number, options: SuspendOptions = {}): boolean {
  return lateByMs > (options.lateGraceMs ?? LATE_GRACE_MS) + 2 * Math.max(0, intervalMs);
}

/** Wall-clock delta minus monotonic delta: positive when the wall clock ran while the monotonic clock stood. */
export function wallDrift(monoDeltaMs: number, wallDeltaMs: number): number {
  return wallDeltaMs - monoDeltaMs;
}

/** Whether the clocks disagree like a system sleep does (wall ran on, monotonic stopped). Backward steps are NTP, not sleep. */
export function isWallJump(monoDeltaMs: number, wallDeltaMs: number, options: SuspendOptions = {}): boolean {
  return wallDrift(monoDeltaMs, wallDeltaMs) > (options.wallJumpMs ?? WALL_JUMP_MS);
}

/** Judges one wake-up: a report when the process was evidently away, undefined otherwise. */
export function detectSuspend(obs: WakeObservation, options: SuspendOptions = {}): SuspendReport | undefined {
  const interval = Math.max(0, obs.dueAtMono - obs.setAtMono);
  const lateByMs = timerLateness(obs.dueAtMono, obs.firedAtMono);
  const monoDelta = obs.firedAtMono - obs.setAtMono;
  const wallDriftMs =
    obs.setAtWall === undefined || obs.firedAtWall === undefined
      ? 0
      : wallDrift(monoDelta, obs.firedAtWall - obs.setAtWall);
  // A sleep shows in the wall clock even when the monotonic timer looks punctual.
  if (wallDriftMs > (options.wallJumpMs ?? WALL_JUMP_MS)) {
    return { kind: 'wall-clock-jump', awayMs: wallDriftMs + lateByMs, lateByMs, wallDriftMs };
  }
  if (isFreeze(interval, lateByMs, options)) {
    return { kind: 'late-timer', awayMs: lateByMs, lateByMs, wallDriftMs };
  }
  return undefined;
}
