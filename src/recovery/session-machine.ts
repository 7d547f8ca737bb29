// The session state machine: connected → suspect → down → reconnecting → restoring → connected, or stopped.
// A pure reducer: (state, event, now) → { state, effects }. The owner performs the effects and owns the timers.
import { fullJitterDelay } from './backoff.js';
import { addFailure, beginOutage, markDown, toRecord } from './session-outage.js';
import { NO_ROUTE_CODES, bookProbe, pathSilent, probeIfDue, probePeriod, probeTuning, startPathCheck } from './session-probes.js';
import { EXIT_CONNECTION, isFatalFailure, sessionNextDeadline, sessionStatus } from './session-state.js';
import {
  closeAll,
  closeAttempts,
  endProbing,
  finishOutage,
  isAttempt,
  openCandidate,
  openSpare,
  promoteSpare,
  stopFatal,
  stopWith,
  type Ctx,
} from './session-steps.js';
import type {
  AttemptFailure,
  SessionEvent,
  SessionMachineOptions,
  SessionState,
  SessionStatus,
  Transition,
} from './session-types.js';

/** The session machine, with its randomness and tuning bound. */
export interface SessionMachine {
  reduce(state: SessionState, event: SessionEvent, now: number): Transition;
  nextDeadline(state: SessionState): number;
  status(state: SessionState, now: number): SessionStatus;
}

/** A stall the old link survived is recorded only past this (shorter ones are TCP's own loss recovery, not outages). */
export const SURVIVED_RECORD_MS = 1_500;

/** Builds the reducer; see SessionEvent and SessionEffect for the contract with the owner. */
export function createSessionMachine(options: SessionMachineOptions): SessionMachine {
  const probes = probeTuning(options);
  const backoff = { baseMs: options.backoffBaseMs, capMs: options.backoffCapMs };

  function reduce(state: SessionState, event: SessionEvent, now: number): Transition {
    if (state.name === 'stopped') return { state, effects: [] };
    const ctx: Ctx = { s: { ...state }, fx: [], now };
    const { s, fx } = ctx;
    switch (event.type) {
      case 'tick':
        if (pathSilent(s, now) && s.linkId !== undefined) linkDead(ctx, 'liveness-dead', s.outage?.lastHeardAt ?? now);
        if (s.name === 'down' && s.nextAttemptAt !== undefined && now >= s.nextAttemptAt) startAttempt(ctx);
        probeIfDue(ctx, probes);
        break;
      case 'liveness':
        if (event.linkId !== s.linkId) break;
        if (event.verdict === 'suspect' && s.name === 'connected') {
          s.outage = beginOutage(s.outage, now, 'liveness-suspect', event.lastHeardAt);
          s.name = 'suspect';
          s.adoptWhenReady = false;
          // is the path itself silent (blackhole, port dropped, no route: dead now) or does it answer (a stall)?
          startPathCheck(ctx, probes, event.rtoMs);
        } else if (event.verdict === 'dead' && s.name !== 'down' && s.name !== 'reconnecting') {
          linkDead(ctx, 'liveness-dead', event.lastHeardAt);
        }
        break;
      case 'old-link-alive':
        if (s.name !== 'suspect' || event.linkId !== s.linkId) break;
        closeAttempts(ctx, 'the old link answered first');
        s.name = 'connected';
        // a short stall is TCP recovering a lost packet: no outage to record
        if (s.outage !== undefined && now - s.outage.detectedAt < SURVIVED_RECORD_MS) s.outage = undefined;
        finishOutage(ctx, 'survived');
        fx.push({ type: 'flushHeldInput', linkId: event.linkId });
        break;
      case 'link-error': {
        const failure = { at: now, kind: event.kind, code: event.code, message: event.message };
        if (isAttempt(s, event.linkId)) {
          attemptFailed(ctx, event.linkId, failure, isFatalFailure(event.kind, event.fatal));
        } else if (event.linkId === s.linkId) {
          s.outage = addFailure(beginOutage(s.outage, now, event.code ?? event.kind, event.lastHeardAt ?? now), failure);
          if (isFatalFailure(event.kind, event.fatal)) stopFatal(ctx, failure);
          else linkDead(ctx, event.code ?? event.kind, event.lastHeardAt ?? now);
        }
        break;
      }
      case 'candidate-ready':
      case 'attempt-succeeded':
        if (!isAttempt(s, event.linkId) || (s.name !== 'suspect' && s.name !== 'reconnecting')) {
          // A link we no longer want (abandoned attempt): make sure it is closed.
          if (event.linkId !== s.linkId) fx.push({ type: 'closeLink', linkId: event.linkId, reason: 'no longer needed' });
          break;
        }
        // make before break: while the old link is only suspect, the new one waits for its verdict (a lossy path
        // stalls a link for a second or two and it lives on), unless the user or a network change asked for it
        if (s.name === 'suspect' && !s.adoptWhenReady) s.candidateReady = true;
        else adoptCandidate(ctx, event.linkId);
        break;
      case 'attempt-failed':
        if (!isAttempt(s, event.linkId)) break;
        attemptFailed(ctx, event.linkId, { at: now, kind: event.kind, code: event.code, message: event.message }, isFatalFailure(event.kind, event.fatal));
        break;
      case 'restore-done':
        if (s.name !== 'restoring' || event.linkId !== s.linkId) break;
        s.name = 'connected';
        finishOutage(ctx, event.newSession ? 'new-session' : 'restored');
        if (event.newSession) {
          fx.push({ type: 'discardHeldInput' });
          fx.push({ type: 'notify', level: 'warn', message: 'the old remote session is gone: this is a new shell (keys typed during the outage were not sent)' });
        } else {
          fx.push({ type: 'flushHeldInput', linkId: event.linkId });
        }
        break;
      case 'probe-result': {
        const news = bookProbe(ctx, event, probes);
        if (s.name === 'suspect') {
          if (news === 'path-back' || news === 'path-back-first') {
            // the path answers: the old link is stalled or dead on its own; a parallel link tells which
            s.pathCheckUntil = undefined;
            if (s.candidateId === undefined) openCandidate(ctx, 'openParallelLink');
          } else if (news !== 'stale' && !event.ok && NO_ROUTE_CODES.includes(event.code ?? '') && s.linkId !== undefined) {
            linkDead(ctx, 'liveness-dead', s.outage?.lastHeardAt ?? now);
          }
        } else if (news === 'path-back' || news === 'path-back-first') {
          pathBack(ctx, event.probeId, news === 'path-back');
        }
        break;
      }
      case 'user-retry-now':
        retryNow(ctx, 'user-retry', false);
        break;
      case 'network-changed':
        retryNow(ctx, 'network-changed', true);
        break;
      case 'suspend-detected':
        retryNow(ctx, 'suspend', true);
        break;
      case 'user-quit':
        closeAll(ctx, 'user quit');
        if (s.outage !== undefined) fx.push({ type: 'recordReset', record: toRecord(s.outage, now, 'user-quit', false) });
        stopWith(ctx, { reason: 'user-quit', kind: undefined, message: 'closed at the user\'s request', exitCode: event.exitCode ?? EXIT_CONNECTION });
        break;
    }
    return { state: s, effects: fx };
  }

  /** Probing for the outage: from now, at the cadence of its age. */
  function startProbing(ctx: Ctx): void {
    const { s, now } = ctx;
    if (s.nextProbeAt === undefined) s.nextProbeAt = now + probePeriod(s, now, probes);
  }

  /** A full attempt now: the machine goes reconnecting and keeps probing. */
  function startAttempt(ctx: Ctx): void {
    const { s } = ctx;
    s.name = 'reconnecting';
    s.nextAttemptAt = undefined;
    startProbing(ctx);
    openCandidate(ctx, 'openLink');
  }

  /** The attempt is usable: it replaces the old link (and the other attempt) and the remote session is restored on it. */
  function adoptCandidate(ctx: Ctx, linkId: number): void {
    const { s, fx, now } = ctx;
    if (s.linkId !== undefined) fx.push({ type: 'closeLink', linkId: s.linkId, reason: 'replaced by a new link' });
    for (const other of [s.candidateId, s.spareId]) {
      if (other !== undefined && other !== linkId) fx.push({ type: 'closeLink', linkId: other, reason: 'another attempt got through first' });
    }
    s.linkId = linkId;
    s.candidateId = undefined;
    s.candidateStartedAt = undefined;
    s.spareId = undefined;
    s.candidateReady = false;
    s.adoptWhenReady = false;
    s.name = 'restoring';
    s.nextAttemptAt = undefined;
    endProbing(s);
    s.backoffExponent = 0;
    s.pendingFatal = undefined;
    if (s.outage !== undefined) s.outage = markDown(s.outage, now);
    fx.push({ type: 'restore', linkId });
  }

  /** The old link is gone: close it; a ready parallel link takes over, one in flight becomes the attempt, else one starts now. */
  function linkDead(ctx: Ctx, trigger: string, lastHeardAt: number): void {
    const { s, fx, now } = ctx;
    s.outage = markDown(beginOutage(s.outage, now, trigger, lastHeardAt), now);
    if (s.linkId !== undefined) fx.push({ type: 'closeLink', linkId: s.linkId, reason: trigger });
    s.linkId = undefined;
    if (s.pendingFatal !== undefined && s.candidateId === undefined) return stopFatal(ctx, s.pendingFatal);
    if (s.candidateId !== undefined && s.candidateReady) return adoptCandidate(ctx, s.candidateId);
    // the suspect phase's path probes said what they had to; the outage's probes start afresh
    endProbing(s);
    if (s.candidateId !== undefined) {
      s.name = 'reconnecting';
      startProbing(ctx);
    } else {
      startAttempt(ctx);
    }
  }

  /** An attempt failed: the other one (if any) carries on; else fatal stops (or waits on a suspect old link), or back off. */
  function attemptFailed(ctx: Ctx, linkId: number, failure: AttemptFailure, fatal: boolean): void {
    const { s, fx, now } = ctx;
    if (s.outage !== undefined) s.outage = addFailure(s.outage, failure);
    if (linkId === s.spareId) s.spareId = undefined;
    else {
      promoteSpare(s, now);
      s.candidateReady = false;
    }
    if (!fatal && s.candidateId !== undefined) return;
    if (s.name === 'suspect') {
      // The old link may still come back; a fatal answer only matters if it does not.
      if (fatal) {
        s.pendingFatal = failure;
        fx.push({ type: 'notify', level: 'warn', message: failure.message });
      }
      return;
    }
    if (fatal) return stopFatal(ctx, failure);
    const delay = fullJitterDelay(s.backoffExponent, options.random, backoff);
    s.backoffExponent++;
    s.name = 'down';
    s.nextAttemptAt = now + delay;
    startProbing(ctx);
    fx.push({ type: 'scheduleAttempt', at: s.nextAttemptAt, attempt: (s.outage?.attempts ?? 0) + 1 });
  }

  /**
   * A probe got through: the path is back. Down: attempt at once (after a failed probe only, so a server that
   * accepts TCP but fails logins keeps its backoff). Reconnecting: an attempt opened before this probe may be stuck
   * on a SYN or banner lost in the outage, so a fresh one starts beside it; the first to succeed wins.
   */
  function pathBack(ctx: Ctx, probeId: number, afterFailure: boolean): void {
    const { s, fx, now } = ctx;
    if (s.name === 'down') {
      if (afterFailure) startAttempt(ctx);
      return;
    }
    if (s.name !== 'reconnecting' || s.candidateId === undefined || probeId <= s.candidateProbeSeq) return;
    if (s.spareId !== undefined) {
      if (probeId <= s.spareProbeSeq) return;
      // both were opened before the path came back: the older one goes
      fx.push({ type: 'closeLink', linkId: s.candidateId, reason: 'the path is back: a fresher attempt replaces it' });
      promoteSpare(s, now);
    }
    openSpare(ctx);
  }

  /** `~r`, an interface change or a wake: act now instead of waiting for timers. */
  function retryNow(ctx: Ctx, trigger: string, freshStart: boolean): void {
    const { s, fx, now } = ctx;
    if (freshStart) s.backoffExponent = 0;
    switch (s.name) {
      case 'connected':
        if (s.linkId === undefined) break;
        if (trigger === 'user-retry') {
          // Make before break, on request: the new link replaces the old one once it is ready.
          s.outage = beginOutage(s.outage, now, trigger, now);
          s.name = 'suspect';
          s.adoptWhenReady = true;
          openCandidate(ctx, 'openParallelLink');
        } else {
          // The link may have died with the old address or during the sleep: make it prove itself.
          fx.push({ type: 'checkLink', linkId: s.linkId });
        }
        break;
      case 'suspect':
        s.adoptWhenReady = true;
        if (s.candidateId === undefined) openCandidate(ctx, 'openParallelLink');
        else if (s.candidateReady) adoptCandidate(ctx, s.candidateId);
        break;
      case 'down':
        startAttempt(ctx);
        break;
      case 'reconnecting':
        closeAttempts(ctx, `${trigger}: starting a fresh attempt`);
        startAttempt(ctx);
        break;
      default:
        break;
    }
  }

  return { reduce, nextDeadline: sessionNextDeadline, status: sessionStatus };
}
