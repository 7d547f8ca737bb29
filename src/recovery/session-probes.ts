// The session machine's probes: their cadence (fast while the outage is young), and what a result means.
import { countProbe } from './session-outage.js';
import {
  FAST_PROBE_FOR_MS,
  FAST_PROBE_INTERVAL_MS,
  FIRST_PROBES_FACTOR,
  MAX_PROBES_IN_FLIGHT,
  PATH_CHECK_MS,
  PROBE_INTERVAL_MS,
  probing,
} from './session-state.js';
import type { Ctx, Draft } from './session-steps.js';
import type { SessionEvent, SessionMachineOptions, SessionState } from './session-types.js';

/** The probe tuning, defaults filled in. */
export interface ProbeTuning {
  readonly slowMs: number;
  readonly fastMs: number;
  readonly fastForMs: number;
  readonly pathCheckMs: number;
}

/** The machine options' probe tuning with the defaults. */
export function probeTuning(o: SessionMachineOptions): ProbeTuning {
  return {
    slowMs: o.probeIntervalMs ?? PROBE_INTERVAL_MS,
    fastMs: o.fastProbeIntervalMs ?? FAST_PROBE_INTERVAL_MS,
    fastForMs: o.fastProbeForMs ?? FAST_PROBE_FOR_MS,
    pathCheckMs: o.pathCheckMs ?? PATH_CHECK_MS,
  };
}

/**
 * The probe period now: fast while the outage is young and nothing got through (the path coming back is then seen
 * within about that period), twice as fast in its first half, slow once a probe got through (the attempts take it
 * from there) or the outage is old.
 */
export function probePeriod(s: SessionState, now: number, t: ProbeTuning): number {
  if (s.lastProbeOk === true) return t.slowMs;
  const age = now - (s.outage?.detectedAt ?? now);
  if (age < t.fastForMs / 2) return t.fastMs / FIRST_PROBES_FACTOR;
  return age < t.fastForMs ? t.fastMs : t.slowMs;
}

/** On a tick: starts the next probe when one is due ('path' while a suspect link's path is checked, else 'port'). */
export function probeIfDue(ctx: Ctx, t: ProbeTuning): void {
  const { s, fx, now } = ctx;
  if (!probing(s) || s.probesInFlight >= MAX_PROBES_IN_FLIGHT || now < (s.nextProbeAt ?? Infinity)) return;
  s.probeSeq++;
  s.probesInFlight++;
  const path = s.name === 'suspect';
  s.nextProbeAt = now + (path ? t.fastMs : probePeriod(s, now, t));
  // a probe into a dead path waits for its SYN's answer; overlapping probes keep the cadence meanwhile
  fx.push({ type: 'startProbe', probeId: s.probeSeq, purpose: path ? 'path' : 'port', timeoutMs: path ? Math.max(t.pathCheckMs, 1_000) : 1_000 });
}

/** Starts checking a suspect link's path now: probes every fastMs until `now + windowMs`. */
export function startPathCheck(ctx: Ctx, t: ProbeTuning, rtoMs: number | undefined): void {
  const { s, now } = ctx;
  s.probeFloor = s.probeSeq;
  s.probeSeen = s.probeSeq;
  s.probesInFlight = 0;
  s.lastProbeOk = undefined;
  // RTT-bound: a slow path gets an RTO for the SYN's answer
  s.pathCheckUntil = now + Math.max(t.pathCheckMs, rtoMs ?? 0);
  s.nextProbeAt = now;
  probeIfDue(ctx, t);
}

/** What a probe result says. */
export type ProbeNews = 'stale' | 'counted' | 'path-back' | 'path-back-first' | 'failed';

/**
 * Books a probe result. 'stale': from an earlier phase (ignored); 'path-back': the newest probe got through after a
 * failure, 'path-back-first': the first probe of this phase got through; 'failed': the newest probe failed;
 * 'counted': an older probe's late answer (evidence only).
 */
export function bookProbe(ctx: Ctx, e: Extract<SessionEvent, { type: 'probe-result' }>, t: ProbeTuning): ProbeNews {
  const { s, now } = ctx;
  if (e.probeId <= s.probeFloor || !probing(s)) return 'stale';
  s.probesInFlight = Math.max(0, s.probesInFlight - 1);
  if (s.outage !== undefined && s.name !== 'suspect') s.outage = countProbe(s.outage, e.ok);
  if (e.probeId <= s.probeSeen) return 'counted';
  s.probeSeen = e.probeId;
  const before = s.lastProbeOk;
  s.lastProbeOk = e.ok;
  if (!e.ok) {
    // the path failed again: back to the fast cadence
    if (s.nextProbeAt !== undefined) s.nextProbeAt = Math.min(s.nextProbeAt, now + probePeriod(s, now, t));
    return 'failed';
  }
  if (before === true) return 'counted';
  if (s.nextProbeAt !== undefined) s.nextProbeAt = Math.max(s.nextProbeAt, now + t.slowMs);
  return before === false ? 'path-back' : 'path-back-first';
}

/** The silent-path verdict is due: the path check ran its window and nothing answered. */
export function pathSilent(s: Draft, now: number): boolean {
  return s.name === 'suspect' && s.pathCheckUntil !== undefined && now >= s.pathCheckUntil && s.lastProbeOk !== true;
}

/** Codes that say there is no path from here at all (no route, interface down): no need to wait for the window. */
export const NO_ROUTE_CODES: readonly string[] = ['ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN'];
