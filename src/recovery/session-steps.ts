// Effect-building steps shared by the session reducer: open/close links, finish an outage, stop.
import { EXIT_CONNECTION } from './session-state.js';
import { addFailure, beginOutage, countAttempt, endOutage } from './session-outage.js';
import type { AttemptFailure, ResetOutcome, SessionEffect, SessionState } from './session-types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** The state being built by one reduce() call. */
export type Draft = Mutable<SessionState>;

/** One reduce() call: the state being built, the effects so far, and the time. */
export interface Ctx {
  readonly s: Draft;
  readonly fx: SessionEffect[];
  readonly now: number;
}

/** Opens a new link as candidate (parallel while suspect, an attempt otherwise). */
export function openCandidate({ s, fx, now }: Ctx, type: 'openParallelLink' | 'openLink'): void {
  s.lastLinkId++;
  s.candidateId = s.lastLinkId;
  s.candidateStartedAt = now;
  s.candidateProbeSeq = s.probeSeq;
  s.candidateReady = false;
  if (s.outage !== undefined) s.outage = countAttempt(s.outage);
  fx.push({ type, linkId: s.candidateId });
}

/** Opens a second attempt beside the candidate (see SessionState.spareId). */
export function openSpare({ s, fx }: Ctx): void {
  s.lastLinkId++;
  s.spareId = s.lastLinkId;
  s.spareProbeSeq = s.probeSeq;
  if (s.outage !== undefined) s.outage = countAttempt(s.outage);
  fx.push({ type: 'openLink', linkId: s.spareId });
}

/** The spare takes the candidate's place (the candidate failed or was given up). */
export function promoteSpare(s: Draft, now: number): void {
  s.candidateId = s.spareId;
  s.candidateStartedAt = s.spareId === undefined ? undefined : now;
  s.candidateProbeSeq = s.spareProbeSeq;
  s.spareId = undefined;
}

/** Whether a link id is one of the attempts in flight (candidate or spare). */
export function isAttempt(s: SessionState, linkId: number): boolean {
  return linkId === s.candidateId || linkId === s.spareId;
}

/** Closes the candidate and the spare, if any. */
export function closeAttempts({ s, fx }: Ctx, reason: string): void {
  if (s.candidateId !== undefined) fx.push({ type: 'closeLink', linkId: s.candidateId, reason });
  if (s.spareId !== undefined) fx.push({ type: 'closeLink', linkId: s.spareId, reason });
  s.candidateId = undefined;
  s.candidateStartedAt = undefined;
  s.spareId = undefined;
  s.candidateReady = false;
}

/** Stops probing: results of the probes still in flight will be ignored. */
export function endProbing(s: Draft): void {
  s.nextProbeAt = undefined;
  s.probesInFlight = 0;
  s.probeFloor = s.probeSeq;
  s.probeSeen = s.probeSeq;
  s.lastProbeOk = undefined;
  s.pathCheckUntil = undefined;
}

/** Closes every link the machine holds. */
export function closeAll(ctx: Ctx, reason: string): void {
  closeAttempts(ctx, reason);
  if (ctx.s.linkId !== undefined) ctx.fx.push({ type: 'closeLink', linkId: ctx.s.linkId, reason });
  ctx.s.linkId = undefined;
}

/** The user has a working session again: record the reset and clear the outage state. */
export function finishOutage({ s, fx, now }: Ctx, outcome: ResetOutcome): void {
  if (s.outage !== undefined) fx.push({ type: 'recordReset', outage: endOutage(s.outage, now, outcome, true) });
  s.outage = undefined;
  s.backoffExponent = 0;
  s.nextAttemptAt = undefined;
  endProbing(s);
  s.adoptWhenReady = false;
  s.candidateReady = false;
  s.pendingFatal = undefined;
}

/** A fatal failure: close everything, record a refused reset, exit 255 with the message. */
export function stopFatal(ctx: Ctx, failure: AttemptFailure): void {
  const { s, fx, now } = ctx;
  closeAll(ctx, 'recovery stopped');
  const outage = s.outage ?? addFailure(beginOutage(undefined, now, failure.code ?? failure.kind, now), failure);
  fx.push({ type: 'recordReset', outage: endOutage(outage, now, 'refused', false) });
  stopWith(ctx, { reason: 'fatal', kind: failure.kind, message: failure.message, exitCode: EXIT_CONNECTION });
}

/** Enters the final state and asks the owner to exit. */
export function stopWith({ s, fx }: Ctx, stop: NonNullable<SessionState['stop']>): void {
  s.name = 'stopped';
  s.stop = stop;
  s.outage = undefined;
  s.nextAttemptAt = undefined;
  endProbing(s);
  fx.push({ type: 'exit', code: stop.exitCode, message: stop.message });
}
