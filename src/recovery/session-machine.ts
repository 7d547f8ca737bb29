// The session state machine: connected → suspect → down → reconnecting → restoring → connected, or stopped.
// A pure reducer: (state, event, now) → { state, effects }. The owner performs the effects and owns the timers.
import { fullJitterDelay } from './backoff.js';
import { addFailure, beginOutage, countProbe, markDown, toRecord } from './session-outage.js';
import { EXIT_CONNECTION, PROBE_INTERVAL_MS, isFatalFailure, sessionNextDeadline, sessionStatus } from './session-state.js';
import { closeAll, closeCandidate, finishOutage, openCandidate, stopFatal, stopWith, type Ctx, type Draft } from './session-steps.js';
import type {
  AttemptFailure,
  SessionEffect,
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

/** Builds the reducer; see SessionEvent and SessionEffect for the contract with the owner. */
export function createSessionMachine(options: SessionMachineOptions): SessionMachine {
  const probeInterval = options.probeIntervalMs ?? PROBE_INTERVAL_MS;
  const backoff = { baseMs: options.backoffBaseMs, capMs: options.backoffCapMs };

  function reduce(state: SessionState, event: SessionEvent, now: number): Transition {
    if (state.name === 'stopped') return { state, effects: [] };
    const s: Draft = { ...state };
    const fx: SessionEffect[] = [];
    const ctx = { s, fx, now };
    switch (event.type) {
      case 'tick':
        if (s.name === 'down' && s.nextAttemptAt !== undefined && now >= s.nextAttemptAt) startAttempt(ctx);
        if ((s.name === 'down' || s.name === 'reconnecting') && !s.probeInFlight && now >= (s.nextProbeAt ?? Infinity)) {
          s.probeInFlight = true;
          s.nextProbeAt = now + probeInterval;
          fx.push({ type: 'startProbe' });
        }
        break;
      case 'liveness':
        if (event.linkId !== s.linkId) break;
        if (event.verdict === 'suspect' && s.name === 'connected') {
          s.outage = beginOutage(s.outage, now, 'liveness-suspect', event.lastHeardAt);
          s.name = 'suspect';
          openCandidate(ctx, 'openParallelLink');
        } else if (event.verdict === 'dead' && s.name !== 'down' && s.name !== 'reconnecting') {
          linkDead(ctx, 'liveness-dead', event.lastHeardAt);
        }
        break;
      case 'old-link-alive':
        if (s.name !== 'suspect' || event.linkId !== s.linkId) break;
        closeCandidate(ctx, 'the old link answered first');
        s.name = 'connected';
        finishOutage(ctx, 'survived');
        fx.push({ type: 'flushHeldInput', linkId: event.linkId });
        break;
      case 'link-error': {
        const failure = { at: now, kind: event.kind, code: event.code, message: event.message };
        if (event.linkId === s.candidateId) {
          attemptFailed(ctx, failure, isFatalFailure(event.kind, event.fatal));
        } else if (event.linkId === s.linkId) {
          s.outage = addFailure(beginOutage(s.outage, now, event.code ?? event.kind, event.lastHeardAt ?? now), failure);
          if (isFatalFailure(event.kind, event.fatal)) stopFatal(ctx, failure);
          else linkDead(ctx, event.code ?? event.kind, event.lastHeardAt ?? now);
        }
        break;
      }
      case 'candidate-ready':
      case 'attempt-succeeded':
        if (event.linkId !== s.candidateId || (s.name !== 'suspect' && s.name !== 'reconnecting')) {
          // A link we no longer want (abandoned attempt): make sure it is closed.
          if (event.linkId !== s.linkId) fx.push({ type: 'closeLink', linkId: event.linkId, reason: 'no longer needed' });
          break;
        }
        adoptCandidate(ctx, event.linkId);
        break;
      case 'attempt-failed':
        if (event.linkId !== s.candidateId) break;
        attemptFailed(
          ctx,
          { at: now, kind: event.kind, code: event.code, message: event.message },
          isFatalFailure(event.kind, event.fatal),
        );
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
      case 'probe-result':
        if (s.name !== 'down' && s.name !== 'reconnecting') break;
        s.probeInFlight = false;
        if (s.outage !== undefined) s.outage = countProbe(s.outage, event.ok);
        if (event.ok && s.lastProbeOk === false) pathBack(ctx, 'the path is back');
        s.lastProbeOk = event.ok;
        break;
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

  /** A full attempt now: the machine goes reconnecting and keeps probing. */
  function startAttempt(ctx: Ctx): void {
    const { s, now } = ctx;
    s.name = 'reconnecting';
    s.nextAttemptAt = undefined;
    s.nextProbeAt ??= now + probeInterval;
    openCandidate(ctx, 'openLink');
  }

  /** The candidate is usable: it replaces the old link and the remote session is restored on it. */
  function adoptCandidate(ctx: Ctx, linkId: number): void {
    const { s, fx, now } = ctx;
    if (s.linkId !== undefined) fx.push({ type: 'closeLink', linkId: s.linkId, reason: 'replaced by a new link' });
    s.linkId = linkId;
    s.candidateId = undefined;
    s.candidateStartedAt = undefined;
    s.name = 'restoring';
    s.nextAttemptAt = undefined;
    s.nextProbeAt = undefined;
    s.probeInFlight = false;
    s.backoffExponent = 0;
    s.pendingFatal = undefined;
    if (s.outage !== undefined) s.outage = markDown(s.outage, now);
    fx.push({ type: 'restore', linkId });
  }

  /** The old link is gone: close it; the candidate in flight becomes the attempt, else one starts now. */
  function linkDead(ctx: Ctx, trigger: string, lastHeardAt: number): void {
    const { s, fx, now } = ctx;
    s.outage = markDown(beginOutage(s.outage, now, trigger, lastHeardAt), now);
    if (s.linkId !== undefined) fx.push({ type: 'closeLink', linkId: s.linkId, reason: trigger });
    s.linkId = undefined;
    if (s.pendingFatal !== undefined && s.candidateId === undefined) return stopFatal(ctx, s.pendingFatal);
    if (s.candidateId !== undefined) {
      s.name = 'reconnecting';
      s.nextProbeAt ??= now + probeInterval;
    } else {
      startAttempt(ctx);
    }
  }

  /** The candidate failed: fatal stops (or waits on the old link while it may live); else back off. */
  function attemptFailed(ctx: Ctx, failure: AttemptFailure, fatal: boolean): void {
    const { s, fx, now } = ctx;
    if (s.outage !== undefined) s.outage = addFailure(s.outage, failure);
    s.candidateId = undefined;
    s.candidateStartedAt = undefined;
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
    s.nextProbeAt ??= now + probeInterval;
    fx.push({ type: 'scheduleAttempt', at: s.nextAttemptAt, attempt: (s.outage?.attempts ?? 0) + 1 });
  }

  /** Something says the path works again: attempt at once, replacing an attempt started before it. */
  function pathBack(ctx: Ctx, why: string): void {
    const { s, now } = ctx;
    if (s.name === 'down') return startAttempt(ctx);
    if (s.name === 'reconnecting' && now - (s.candidateStartedAt ?? now) >= probeInterval) {
      closeCandidate(ctx, `${why}: starting a fresh attempt`);
      startAttempt(ctx);
    }
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
          openCandidate(ctx, 'openParallelLink');
        } else {
          // The link may have died with the old address or during the sleep: make it prove itself.
          fx.push({ type: 'checkLink', linkId: s.linkId });
        }
        break;
      case 'suspect':
        if (s.candidateId === undefined) openCandidate(ctx, 'openParallelLink');
        break;
      case 'down':
        startAttempt(ctx);
        break;
      case 'reconnecting':
        closeCandidate(ctx, `${trigger}: starting a fresh attempt`);
        startAttempt(ctx);
        break;
      default:
        break;
    }
  }

  return { reduce, nextDeadline: sessionNextDeadline, status: sessionStatus };
}
