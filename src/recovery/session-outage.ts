// Bookkeeping of one outage for the session machine: start it, add evidence, turn it into a history draft.
import {
  MAX_FAILURES,
  type AttemptFailure,
  type Outage,
  type ResetOutcome,
  type ResetRecordDraft,
} from './session-types.js';

/** A new outage, or the current one unchanged: the first trigger recorded wins. */
export function beginOutage(outage: Outage | undefined, now: number, trigger: string, lastHeardAt: number): Outage {
  if (outage !== undefined) return outage;
  return {
    detectedAt: now,
    lastHeardAt: Math.min(lastHeardAt, now),
    trigger,
    attempts: 0,
    failures: [],
    probesOk: 0,
    probesFailed: 0,
    downAt: undefined,
  };
}

/** Adds a failure, keeping the first half and the most recent of at most MAX_FAILURES. */
export function addFailure(outage: Outage, failure: AttemptFailure): Outage {
  let failures = [...outage.failures, failure];
  if (failures.length > MAX_FAILURES) {
    const head = MAX_FAILURES / 2;
    failures = [...failures.slice(0, head), ...failures.slice(failures.length - (MAX_FAILURES - head))];
  }
  return { ...outage, failures };
}

/** Counts a link opened to replace the old one. */
export function countAttempt(outage: Outage): Outage {
  return { ...outage, attempts: outage.attempts + 1 };
}

/** Counts a probe result. */
export function countProbe(outage: Outage, ok: boolean): Outage {
  return ok ? { ...outage, probesOk: outage.probesOk + 1 } : { ...outage, probesFailed: outage.probesFailed + 1 };
}

/** Marks the old link as dead (the first time only). */
export function markDown(outage: Outage, now: number): Outage {
  return outage.downAt === undefined ? { ...outage, downAt: now } : outage;
}

/** The history draft for an outage that ended at `now`. */
export function toRecord(outage: Outage, now: number, outcome: ResetOutcome, restored: boolean): ResetRecordDraft {
  return {
    detectedAt: outage.detectedAt,
    lastHeardAt: outage.lastHeardAt,
    restoredAt: restored ? now : undefined,
    // From detection, not from the last byte: an idle link was not "down" while nobody used it.
    downtimeMs: Math.max(0, now - outage.detectedAt),
    trigger: outage.trigger,
    attempts: outage.attempts,
    outcome,
    failures: outage.failures,
    probesOk: outage.probesOk,
    probesFailed: outage.probesFailed,
    linkDied: outage.downAt !== undefined,
  };
}
