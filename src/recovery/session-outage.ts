// Bookkeeping of the one outage record for the session machine: start it, add failures and facts, end it.
import { FACT_LEAD_MS, NO_EVIDENCE, addFact, isLeadingFact, type OutageFact } from './outage-evidence.js';
import {
  MAX_FAILURES,
  type AttemptFailure,
  type EndedOutage,
  type LeadingFact,
  type Outage,
  type ResetOutcome,
} from './session-types.js';

/** Most facts kept for an outage that has not begun. */
const MAX_LEADING_FACTS = 8;

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
    evidence: NO_EVIDENCE,
  };
}

/**
 * A fact reported by the owner: into the outage's record, or, with no outage, kept a while if it may explain one
 * that begins soon (a wake, an address change); any other fact without an outage is a straggler and is dropped.
 */
export function bookFact(
  outage: Outage | undefined,
  leading: readonly LeadingFact[],
  fact: OutageFact,
  now: number,
): { outage: Outage | undefined; leading: readonly LeadingFact[] } {
  if (outage !== undefined) return { outage: { ...outage, evidence: addFact(outage.evidence, fact) }, leading };
  if (!isLeadingFact(fact)) return { outage, leading };
  return { outage, leading: [...freshFacts(leading, now), { at: now, fact }].slice(-MAX_LEADING_FACTS) };
}

/** A new outage takes the facts that led up to it (seen within FACT_LEAD_MS). */
export function withLeadingFacts(outage: Outage, leading: readonly LeadingFact[], now: number): Outage {
  const facts = freshFacts(leading, now);
  if (facts.length === 0) return outage;
  return { ...outage, evidence: facts.reduce((e, f) => addFact(e, f.fact), outage.evidence) };
}

function freshFacts(leading: readonly LeadingFact[], now: number): readonly LeadingFact[] {
  return leading.filter((f) => now - f.at <= FACT_LEAD_MS);
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

/** The outage, ended at `now`: what goes to the history. */
export function endOutage(outage: Outage, now: number, outcome: ResetOutcome, restored: boolean): EndedOutage {
  return { ...outage, end: { at: now, outcome, restored } };
}

/**
 * From detection to the end, not from the last byte: an idle link was not "down" while nobody used it. The bar's
 * flash, the outage-end event and the history record all say this one number.
 */
export function downtimeOf(o: EndedOutage): number {
  return Math.max(0, o.end.at - o.detectedAt);
}
