// The session machine's moves between states: start an attempt, adopt one, give up the old link, back off,
// react to the path coming back or to a retry request. Each works on one reduce() call's draft state and effects.
import { fullJitterDelay } from './backoff.js';
import { addFailure, beginOutage, markDown } from './session-outage.js';
import { probePeriod, probeTuning } from './session-probes.js';
import {
  closeAttempts,
  endProbing,
  openCandidate,
  openSpare,
  promoteSpare,
  stopFatal,
  type Ctx,
} from './session-steps.js';
import type { AttemptFailure, SessionMachineOptions } from './session-types.js';

/** The moves, with the machine's tuning bound. */
export interface SessionMoves {
  startAttempt(ctx: Ctx): void;
  adoptCandidate(ctx: Ctx, linkId: number): void;
  linkDead(ctx: Ctx, trigger: string, lastHeardAt: number): void;
  attemptFailed(ctx: Ctx, linkId: number, failure: AttemptFailure, fatal: boolean): void;
  pathBack(ctx: Ctx, probeId: number, afterFailure: boolean): void;
  retryNow(ctx: Ctx, trigger: string, freshStart: boolean): void;
}

/** Binds the moves to the machine's options (backoff, randomness, probe cadence). */
export function sessionMoves(options: SessionMachineOptions): SessionMoves {
  const probes = probeTuning(options);
  const backoff = { baseMs: options.backoffBaseMs, capMs: options.backoffCapMs };

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

  return { startAttempt, adoptCandidate, linkDead, attemptFailed, pathBack, retryNow };
}
