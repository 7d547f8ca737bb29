// The client-side facts an outage record gathers while it lasts (attempts, ICMP, interface changes, timer drift):
// pure folding of the facts the owner reports into the outage, in the classifier's terms (epoch ms, wall clock).
import type { AttemptEvidence, DriftEvidence, InterfaceChange } from '../diagnosis/evidence.js';

/** Most attempts kept (the first and the last tell the story). */
export const MAX_ATTEMPT_EVIDENCE = 32;

/** A fact about the outage the owner saw (instants are wall epoch ms, as the classifier reads them). */
export type OutageFact =
  /** A reconnect attempt's or a port probe's result (ok: connected and authenticated). */
  | { readonly kind: 'attempt'; readonly attempt: AttemptEvidence }
  /** sshd's port answered again (a probe read the banner). */
  | { readonly kind: 'port-answered' }
  /** A `ping -c1` sent at sentAt ended with this exit status: 0 answered, 1 no reply, anything else: ping failed. */
  | { readonly kind: 'icmp'; readonly sentAt: number; readonly status: number }
  /** This process woke late (a suspend or a freeze). */
  | { readonly kind: 'drift'; readonly drift: DriftEvidence }
  /** Local interfaces or routes changed. */
  | { readonly kind: 'interfaces'; readonly changes: readonly InterfaceChange[] };

/** What the outage record knows from this machine's side. */
export interface OutageEvidence {
  /** Every attempt's and failed probe's result, oldest first (at most MAX_ATTEMPT_EVIDENCE). */
  readonly attempts: readonly AttemptEvidence[];
  /** Whether the host answered ICMP while the port did not (undefined: not asked, no ping tool, not confirmed). */
  readonly icmpReachable: boolean | undefined;
  readonly interfaceChanges: readonly InterfaceChange[];
  /** The largest timer drift seen. */
  readonly drift: DriftEvidence | undefined;
  /** The port answers again: a ping answered after that says nothing about the outage. */
  readonly portBack: boolean;
  /**
   * When the earliest answered ping was sent, until a port failure that started after it confirms the port was down
   * while the host answered. Without one the path may simply have come back while the ping was out (a blackhole
   * lifted), which says nothing about a firewall.
   */
  readonly icmpAnsweredSentAt: number | undefined;
}

export const NO_EVIDENCE: OutageEvidence = {
  attempts: [],
  icmpReachable: undefined,
  interfaceChanges: [],
  drift: undefined,
  portBack: false,
  icmpAnsweredSentAt: undefined,
};

/** Facts that may come just before the outage they explain (a wake, an address change): kept this long without one. */
export const FACT_LEAD_MS = 60_000;

/** Whether a fact seen while the link was healthy can explain an outage that begins soon after. */
export function isLeadingFact(fact: OutageFact): boolean {
  return fact.kind === 'drift' || fact.kind === 'interfaces';
}

/** The evidence with one more fact. */
export function addFact(e: OutageEvidence, fact: OutageFact): OutageEvidence {
  switch (fact.kind) {
    case 'attempt':
      return addAttempt(fact.attempt.result === 'ok' ? { ...e, portBack: true } : e, fact.attempt);
    case 'port-answered':
      return e.portBack ? e : { ...e, portBack: true };
    case 'icmp':
      return icmpAnswer(e, fact.sentAt, fact.status);
    case 'drift': {
      const d = fact.drift;
      const old = e.drift;
      return !old || d.timerLateMs + d.wallAheadOfMonotonicMs > old.timerLateMs + old.wallAheadOfMonotonicMs ? { ...e, drift: d } : e;
    }
    case 'interfaces':
      return { ...e, interfaceChanges: [...e.interfaceChanges, ...fact.changes].slice(-MAX_ATTEMPT_EVIDENCE) };
  }
}

/** Whether a ping is worth sending: none has confirmed the host yet and the port is not back. */
export function wantsIcmp(e: OutageEvidence): boolean {
  return e.icmpReachable !== true && !e.portBack;
}

function icmpAnswer(e: OutageEvidence, sentAt: number, status: number): OutageEvidence {
  if (e.portBack) return e;
  if (status === 1) return e.icmpReachable === undefined ? { ...e, icmpReachable: false } : e;
  if (status !== 0) return e;
  // the earliest answered ping: probes overlap, so a later ping must not move the bar past the failures to come
  const next = { ...e, icmpAnsweredSentAt: e.icmpAnsweredSentAt ?? sentAt };
  return next.attempts.some((a) => confirmsIcmp(next, a)) ? { ...next, icmpReachable: true } : next;
}

/** A port failure that began after the answered ping was sent (while the port was still down). */
function confirmsIcmp(e: OutageEvidence, a: AttemptEvidence): boolean {
  return a.result !== 'ok' && !e.portBack && e.icmpAnsweredSentAt !== undefined && a.startedAt >= e.icmpAnsweredSentAt;
}

function addAttempt(e: OutageEvidence, a: AttemptEvidence): OutageEvidence {
  const confirmed = confirmsIcmp(e, a);
  const attempts = [...e.attempts, a];
  if (attempts.length > MAX_ATTEMPT_EVIDENCE) attempts.splice(MAX_ATTEMPT_EVIDENCE / 2, 1);
  return { ...e, attempts, ...(confirmed ? { icmpReachable: true } : {}) };
}
