// The vocabulary of the session state machine: its state, the events the owner feeds it, the effects it asks for.
import type { ErrorKind } from '../common/errors.js';
import type { DriftEvidence } from '../diagnosis/evidence.js';
import type { OutageEvidence, OutageFact } from './outage-evidence.js';

/** Where the interactive session stands. */
export type SessionStateName = 'connected' | 'suspect' | 'down' | 'reconnecting' | 'restoring' | 'stopped';

/** Error kinds that stop recovery: retrying cannot fix them (design.md: auth, changed key, protocol). */
export const FATAL_RECOVERY_KINDS: readonly ErrorKind[] = [
  'auth',
  'host-key-changed',
  'host-key-revoked',
  'host-key-unknown',
  'protocol',
  'usage',
  'config',
  'unsupported',
];

/** One failed reconnect attempt (or link error), kept as evidence for the diagnosis. */
export interface AttemptFailure {
  readonly at: number;
  readonly kind: ErrorKind;
  readonly code: string | undefined;
  readonly message: string;
}

/**
 * The one record of an outage, from the first sign of trouble to the history: the machine starts it, every fact the
 * owner reports is folded into it, and the recordReset effect hands it over, ended, to be diagnosed and written.
 * Instants of the machine's own are monotonic ms (the owner's clock maps them); `evidence` is in wall ms.
 */
export interface Outage {
  /** When the trouble was noticed (suspect verdict, link error, ...). */
  readonly detectedAt: number;
  /** Last byte heard from the server on the old link. */
  readonly lastHeardAt: number;
  /** The raw trigger: an errno code, `liveness-suspect`, `network-changed`, ... */
  readonly trigger: string;
  /** Links opened to replace the old one (parallel candidates included). */
  readonly attempts: number;
  /** The most recent failures, oldest first, at most MAX_FAILURES. */
  readonly failures: readonly AttemptFailure[];
  /** Cheap TCP probes that connected / failed during the outage (evidence: was the port reachable?). */
  readonly probesOk: number;
  readonly probesFailed: number;
  /** When the old link was declared dead (undefined while only suspect). */
  readonly downAt: number | undefined;
  /** What this machine saw while it lasted: attempts, ICMP, interface changes, timer drift. */
  readonly evidence: OutageEvidence;
}

/** How an outage ended. */
export interface OutageEnd {
  /** When it ended (monotonic ms): the restore, or when tether gave up or the user quit. */
  readonly at: number;
  readonly outcome: ResetOutcome;
  /** Whether the user had a working session again at `at`. */
  readonly restored: boolean;
}

/** An outage that is over: what the recordReset effect hands over. */
export interface EndedOutage extends Outage {
  readonly end: OutageEnd;
}

/** A fact seen while the link was healthy, kept for an outage that may begin soon after (see FACT_LEAD_MS). */
export interface LeadingFact {
  readonly at: number;
  readonly fact: OutageFact;
}

/** Most failures kept per outage (the first ones and the last ones tell the story; the middle repeats). */
export const MAX_FAILURES = 16;

/** Why recovery stopped. */
export interface StopInfo {
  readonly reason: 'fatal' | 'user-quit';
  readonly kind: ErrorKind | undefined;
  readonly message: string;
  readonly exitCode: number;
}

/** The whole state; treat as immutable (the reducer returns a new object). */
export interface SessionState {
  /** Where the session stands; drives the status bar and whether keys are held. */
  readonly name: SessionStateName;
  /** The link the user's session is on; undefined while down/reconnecting. */
  readonly linkId: number | undefined;
  /** A second link being tried (parallel candidate while suspect, the attempt while reconnecting). */
  readonly candidateId: number | undefined;
  readonly candidateStartedAt: number | undefined;
  /** probeSeq when the candidate was opened: a probe with a higher id was started after it. */
  readonly candidateProbeSeq: number;
  /**
   * A fresh attempt started beside the candidate because the path came back after the candidate was opened (an
   * attempt opened into a dead path can wait for its SYN or banner for seconds); the first to succeed wins.
   */
  readonly spareId: number | undefined;
  readonly spareProbeSeq: number;
  /** Last link id handed out: ids are never reused, so late events from closed links are recognised. */
  readonly lastLinkId: number;
  readonly outage: Outage | undefined;
  /** Facts seen with no outage (a wake, an interface change), for the outage they may start; oldest first. */
  readonly leadingFacts: readonly LeadingFact[];
  /** Failed attempts in a row: the backoff exponent. */
  readonly backoffExponent: number;
  /** When the next full attempt starts (down only): the status bar's countdown. */
  readonly nextAttemptAt: number | undefined;
  /** When the next cheap probe starts (down/reconnecting, and suspect while the path is checked). */
  readonly nextProbeAt: number | undefined;
  /** Probes in flight: they overlap while the outage is young (a dropped SYN is retried only after a second). */
  readonly probesInFlight: number;
  /** Id of the last probe started (ids grow; 0 = none yet). */
  readonly probeSeq: number;
  /** Results of probes with an id up to this one belong to an earlier phase and are ignored. */
  readonly probeFloor: number;
  /** Id of the newest probe that reported: lastProbeOk is its result (an older probe's late answer says less). */
  readonly probeSeen: number;
  /** Result of the newest probe: a success after a failure (or a first success) means the path is back. */
  readonly lastProbeOk: boolean | undefined;
  /** Suspect only: the path is being checked until then; no probe answered by then = the path is silent, the link dead. */
  readonly pathCheckUntil: number | undefined;
  /** Suspect only: adopt the parallel link once ready (~r, a network change) instead of waiting for the old link's verdict. */
  readonly adoptWhenReady: boolean;
  /** Suspect only: the parallel link is up and waits for the old link's verdict (dead: adopt it; alive: close it). */
  readonly candidateReady: boolean;
  /** A fatal failure met by a parallel candidate while the old link might still live. */
  readonly pendingFatal: AttemptFailure | undefined;
  /** Set once stopped: why, and the exit status. */
  readonly stop: StopInfo | undefined;
}

/** Events from the owner. `linkId` says which link the event is about; stale ones are ignored. */
export type SessionEvent =
  /** The owner woke at nextDeadline(state). */
  | { readonly type: 'tick' }
  /** A liveness verdict for a link (from LivenessEstimator.tick); rtoMs (srtt + 4·rttvar) sizes the path check. */
  | { readonly type: 'liveness'; readonly linkId: number; readonly verdict: 'suspect' | 'dead'; readonly lastHeardAt: number; readonly rtoMs?: number }
  /** The old link answered while suspect (LivenessEstimator.onData/onPingReply returned true). */
  | { readonly type: 'old-link-alive'; readonly linkId: number }
  /** An established link failed (reset, EOF, protocol error mid-session). */
  | {
      readonly type: 'link-error';
      readonly linkId: number;
      readonly kind: ErrorKind;
      readonly code?: string;
      readonly fatal: boolean;
      readonly message: string;
      readonly lastHeardAt?: number;
    }
  /** A cheap TCP probe finished (ok: see the startProbe effect's purpose); ms: how long it took (for the trace). */
  | { readonly type: 'probe-result'; readonly probeId: number; readonly ok: boolean; readonly code?: string; readonly ms?: number }
  /** A parallel candidate is connected and authenticated (host key matched the pinned one); timing for the trace. */
  | { readonly type: 'candidate-ready'; readonly linkId: number; readonly timing?: LinkTiming }
  /** A reconnect attempt is connected and authenticated. */
  | { readonly type: 'attempt-succeeded'; readonly linkId: number; readonly timing?: LinkTiming }
  /** A candidate or attempt failed before it was usable. */
  | {
      readonly type: 'attempt-failed';
      readonly linkId: number;
      readonly kind: ErrorKind;
      readonly code?: string;
      readonly fatal: boolean;
      readonly message: string;
    }
  /** tmux reattached (or a new session started, newSession true), window resized, forwards back. */
  | { readonly type: 'restore-done'; readonly linkId: number; readonly newSession: boolean }
  /** `~r`, or `r` in the outage panel. */
  | { readonly type: 'user-retry-now' }
  /** `~.` (any state). */
  | { readonly type: 'user-quit'; readonly exitCode?: number }
  /** A local interface came up or changed address. */
  | { readonly type: 'network-changed' }
  /** A fact about the outage (an attempt's result, a ping's answer, a drift, an interface change): added to its record. */
  | { readonly type: 'outage-fact'; readonly fact: OutageFact }
  /** The process woke from a suspend/freeze (see suspend.ts); its drift is a fact of the outage it starts or joins. */
  | { readonly type: 'suspend-detected'; readonly drift: DriftEvidence; readonly awayMs?: number };

/** Where a new link's time went (ms): the machine ignores it, the trace shows it. */
export interface LinkTiming {
  readonly tcpConnectMs: number;
  readonly handshakeMs: number;
  readonly authMs: number;
  /** From the attempt's start to the link being usable. */
  readonly totalMs: number;
}

/** How a reset ended, as the history log names it. */
export type ResetOutcome = 'restored' | 'survived' | 'new-session' | 'gave-up' | 'user-quit' | 'refused';

/** Commands for the owner, to be carried out in order. */
export type SessionEffect =
  /** Make-before-break: open a second link while the old one is kept. */
  | { readonly type: 'openParallelLink'; readonly linkId: number }
  /** A reconnect attempt: open a new link (the old one is gone or closed). */
  | { readonly type: 'openLink'; readonly linkId: number }
  | { readonly type: 'closeLink'; readonly linkId: number; readonly reason: string }
  /** Informational: the next attempt is due at `at` (countdown); the machine asks for it itself on tick. */
  | { readonly type: 'scheduleAttempt'; readonly at: number; readonly attempt: number }
  /**
   * Run one cheap TCP probe to the port now; report with probe-result and this id. 'port': ok when sshd's banner
   * arrives (the path is back for SSH); 'path': ok when the host answers at all (a connect or a refusal) within timeoutMs.
   */
  | { readonly type: 'startProbe'; readonly probeId: number; readonly purpose: 'port' | 'path'; readonly timeoutMs: number }
  /** Make this link prove itself now: LivenessEstimator.expectReply(now) (after a network change or a wake). */
  | { readonly type: 'checkLink'; readonly linkId: number }
  /** Reattach tmux, resize, re-establish forwards/agent on this link; report with restore-done. */
  | { readonly type: 'restore'; readonly linkId: number }
  /** Send the held keys on this link, in order. */
  | { readonly type: 'flushHeldInput'; readonly linkId: number }
  /** Drop the held keys: they were meant for a shell that no longer exists. */
  | { readonly type: 'discardHeldInput' }
  /** The outage is over: diagnose its record and append it to the history. */
  | { readonly type: 'recordReset'; readonly outage: EndedOutage }
  | { readonly type: 'notify'; readonly level: 'info' | 'warn' | 'error'; readonly message: string }
  /** Close everything, print `message` on stderr (unless -q) and exit with this status. */
  | { readonly type: 'exit'; readonly code: number; readonly message: string };

/** The reducer's answer. */
export interface Transition {
  readonly state: SessionState;
  readonly effects: readonly SessionEffect[];
}

/** Tuning of the machine; random is injected so that tests are deterministic. */
export interface SessionMachineOptions {
  /** Uniform [0, 1) for backoff jitter. */
  readonly random: () => number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  /** Cheap probe period while down once the outage is old, or once a probe got through (1 s). */
  readonly probeIntervalMs?: number;
  /** Probe period while the outage is young (100 ms: the path coming back is noticed within about that). */
  readonly fastProbeIntervalMs?: number;
  /** How long an outage counts as young. */
  readonly fastProbeForMs?: number;
  /** How long a suspect link's path is checked at least before a silent path declares it dead. */
  readonly pathCheckMs?: number;
}

/** What the status bar shows about recovery. */
export interface SessionStatus {
  readonly name: SessionStateName;
  readonly attempts: number;
  /** ms until the next full attempt (down only). */
  readonly nextAttemptInMs: number | undefined;
  /** ms since the trouble was noticed. */
  readonly outageMs: number | undefined;
  readonly lastError: string | undefined;
  /** Keys typed now must be held (everything but connected). */
  readonly holdInput: boolean;
}
