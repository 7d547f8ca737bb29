// The healing session's outlet vocabulary: one typed event per fact, in wall-clock ms, safe to send out of process.
import type { ResetRecord, ResetUpdate } from '../history/record.js';
import type { ResetOutcome, SessionStateName } from '../recovery/session-types.js';

/** Who the session is: published once, first. */
export interface SessionStartEvent {
  readonly type: 'session-start';
  readonly at: number;
  /** The destination as typed (alias). */
  readonly host: string;
  readonly hostname: string;
  readonly port: number;
  readonly user: string;
  /** The remote tmux session name. */
  readonly session: string;
  /** This tether process (a live entry of a dead pid is stale). */
  readonly pid: number;
}

/** What the status bar shows changed: state, RTT, keep-alive, held keys, the link. */
export interface StateEvent {
  readonly type: 'state';
  readonly at: number;
  readonly state: SessionStateName;
  /** The link the shell is on; undefined while down or reconnecting. */
  readonly linkId: number | undefined;
  /** Smoothed RTT and its variation (ms), once a ping was answered. */
  readonly srttMs: number | undefined;
  readonly rttvarMs: number | undefined;
  /** The idle keep-alive interval in force. */
  readonly keepaliveMs: number;
  /** Keys typed during an outage, held until the restore. */
  readonly heldBytes: number;
  /** Reconnect attempts so far in this outage (0 outside one). */
  readonly attempt: number;
  /** When the next full attempt starts (wall ms; down only). */
  readonly nextAttemptAt: number | undefined;
  /** The latest failure's message, if any. */
  readonly lastError: string | undefined;
  /** When the outage in progress was detected (wall ms), as the record's downtime counts it; undefined when up. */
  readonly downSince?: number | undefined;
  /** What the outage showed so far, one line each ("3 × connect-timeout", "host answers ping"); [] when up. */
  readonly evidence?: readonly string[];
  /** This host's resets since local midnight (from the history) and the last one's cause. */
  readonly resetsToday?: number;
  readonly lastCause?: string | undefined;
}

/** The link was noticed to be in trouble. */
export interface OutageStartEvent {
  readonly type: 'outage-start';
  readonly at: number;
  /** The raw trigger: an errno code, `liveness-suspect`, ... */
  readonly trigger: string;
  /** Last byte heard on the old link (wall ms). */
  readonly lastHeardAt: number;
}

/** A reconnect attempt was made or failed during the outage. */
export interface OutageAttemptEvent {
  readonly type: 'outage-attempt';
  readonly at: number;
  /** Attempts so far in this outage. */
  readonly n: number;
  /** The errno-style code of the latest failure (undefined: none yet, or none known). */
  readonly code: string | undefined;
}

/** The outage is over: the shell is back, the old link survived, or the session gave up. */
export interface OutageEndEvent {
  readonly type: 'outage-end';
  readonly at: number;
  readonly downtimeMs: number;
  readonly outcome: ResetOutcome;
}

/** A reset was written to the history (the record as written). */
export interface ResetRecordedEvent {
  readonly type: 'reset-recorded';
  readonly at: number;
  readonly record: ResetRecord;
}

/** A reset's record was amended once the slow server facts were in (an update line in the history). */
export interface ResetUpdatedEvent {
  readonly type: 'reset-updated';
  readonly at: number;
  readonly id: string;
  readonly update: ResetUpdate;
}

/** A line the terminal flashes to the user. */
export interface NoticeEvent {
  readonly type: 'notice';
  readonly at: number;
  readonly text: string;
  readonly level: NoticeLevel;
  /** How long a terminal shows it (ms); by level when absent. */
  readonly showMs?: number;
}

/** How grave a notice is. */
export type NoticeLevel = 'info' | 'warn' | 'error';

/** The session ended with this exit status. */
export interface ExitEvent {
  readonly type: 'exit';
  readonly at: number;
  readonly code: number;
}

/** Everything a healing session tells its outlets. */
export type HealingEvent =
  | SessionStartEvent
  | StateEvent
  | OutageStartEvent
  | OutageAttemptEvent
  | OutageEndEvent
  | ResetRecordedEvent
  | ResetUpdatedEvent
  | NoticeEvent
  | ExitEvent;

/** The event type names, for parsers that check what they read. */
export const HEALING_EVENT_TYPES: readonly HealingEvent['type'][] = [
  'session-start',
  'state',
  'outage-start',
  'outage-attempt',
  'outage-end',
  'reset-recorded',
  'reset-updated',
  'notice',
  'exit',
];
