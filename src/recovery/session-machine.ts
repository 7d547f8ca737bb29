// The session state machine: connected → suspect → down → reconnecting → restoring → connected, or stopped.
// A pure reducer: (state, event, now) → { state, effects }. The owner performs the effects and owns the timers.
import type { OutageFact } from './outage-evidence.js';
import { sessionMoves } from './session-moves.js';
import { addFailure, beginOutage, bookFact, endOutage, withLeadingFacts } from './session-outage.js';
import { NO_ROUTE_CODES, bookProbe, pathSilent, probeIfDue, probeTuning, startPathCheck } from './session-probes.js';
import { EXIT_CONNECTION, isFatalFailure, sessionNextDeadline, sessionStatus } from './session-state.js';
import { closeAll, closeAttempts, finishOutage, isAttempt, openCandidate, stopFatal, stopWith, type Ctx } from './session-steps.js';
import type {
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
  const mv = sessionMoves(options);

  function reduce(state: SessionState, event: SessionEvent, now: number): Transition {
    if (state.name === 'stopped') return { state, effects: [] };
    const ctx: Ctx = { s: { ...state }, fx: [], now };
    const { s, fx } = ctx;
    const book = (fact: OutageFact): void => {
      const booked = bookFact(s.outage, s.leadingFacts, fact, now);
      s.outage = booked.outage;
      s.leadingFacts = booked.leading;
    };
    switch (event.type) {
      case 'tick':
        if (pathSilent(s, now) && s.linkId !== undefined) mv.linkDead(ctx, 'liveness-dead', s.outage?.lastHeardAt ?? now);
        if (s.name === 'down' && s.nextAttemptAt !== undefined && now >= s.nextAttemptAt) mv.startAttempt(ctx);
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
          mv.linkDead(ctx, 'liveness-dead', event.lastHeardAt);
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
          mv.attemptFailed(ctx, event.linkId, failure, isFatalFailure(event.kind, event.fatal));
        } else if (event.linkId === s.linkId) {
          s.outage = addFailure(beginOutage(s.outage, now, event.code ?? event.kind, event.lastHeardAt ?? now), failure);
          if (isFatalFailure(event.kind, event.fatal)) stopFatal(ctx, failure);
          else mv.linkDead(ctx, event.code ?? event.kind, event.lastHeardAt ?? now);
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
        else mv.adoptCandidate(ctx, event.linkId);
        break;
      case 'attempt-failed':
        if (!isAttempt(s, event.linkId)) break;
        mv.attemptFailed(ctx, event.linkId, { at: now, kind: event.kind, code: event.code, message: event.message }, isFatalFailure(event.kind, event.fatal));
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
            mv.linkDead(ctx, 'liveness-dead', s.outage?.lastHeardAt ?? now);
          }
        } else if (news === 'path-back' || news === 'path-back-first') {
          mv.pathBack(ctx, event.probeId, news === 'path-back');
        }
        break;
      }
      case 'user-retry-now':
        mv.retryNow(ctx, 'user-retry', false);
        break;
      case 'network-changed':
        mv.retryNow(ctx, 'network-changed', true);
        break;
      case 'suspend-detected':
        // the wake's drift is booked first: an outage the retry starts takes it as a leading fact
        book({ kind: 'drift', drift: event.drift });
        mv.retryNow(ctx, 'suspend', true);
        break;
      case 'outage-fact':
        book(event.fact);
        break;
      case 'user-quit':
        closeAll(ctx, 'user quit');
        if (s.outage !== undefined) fx.push({ type: 'recordReset', outage: endOutage(s.outage, now, 'user-quit', false) });
        stopWith(ctx, { reason: 'user-quit', kind: undefined, message: 'closed at the user\'s request', exitCode: event.exitCode ?? EXIT_CONNECTION });
        break;
    }
    // an outage that began now takes the facts that led up to it (a wake, an interface change)
    if (state.outage === undefined && s.outage !== undefined && s.leadingFacts.length > 0) {
      s.outage = withLeadingFacts(s.outage, s.leadingFacts, now);
      s.leadingFacts = [];
    }
    return { state: s, effects: fx };
  }

  return { reduce, nextDeadline: sessionNextDeadline, status: sessionStatus };
}
