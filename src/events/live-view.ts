// A session's live view, folded from its events: what a dashboard shows of it (and what a new reader gets first).
import type { SessionStateName } from '../recovery/session-types.js';
import type { HealingEvent } from './events.js';

/** One session as a reader sees it now; wall-clock ms throughout. */
export interface LiveView {
  host: string;
  hostname: string;
  port: number;
  user: string;
  session: string;
  pid: number;
  startedAt: number;
  state: SessionStateName;
  srttMs: number | undefined;
  rttvarMs: number | undefined;
  keepaliveMs: number | undefined;
  heldBytes: number;
  attempt: number;
  nextAttemptAt: number | undefined;
  lastError: string | undefined;
  /** When the current outage was noticed (undefined: no outage). */
  outageSince: number | undefined;
  /** The current outage's trigger. */
  trigger: string | undefined;
  /** Resets recorded by this session, and the newest one's cause. */
  resets: number;
  lastCause: string | undefined;
  lastNotice: { text: string; level: string; at: number } | undefined;
  /** Set once the session ended. */
  exitCode: number | undefined;
  /** When anything last changed. */
  updatedAt: number;
}

/** The view before the session said who it is. */
export function emptyLiveView(pid: number, at: number): LiveView {
  return {
    host: '',
    hostname: '',
    port: 22,
    user: '',
    session: '',
    pid,
    startedAt: at,
    state: 'connected',
    srttMs: undefined,
    rttvarMs: undefined,
    keepaliveMs: undefined,
    heldBytes: 0,
    attempt: 0,
    nextAttemptAt: undefined,
    lastError: undefined,
    outageSince: undefined,
    trigger: undefined,
    resets: 0,
    lastCause: undefined,
    lastNotice: undefined,
    exitCode: undefined,
    updatedAt: at,
  };
}

/** The view after one more event (a new object; the old one is left as it was). */
export function foldLiveView(v: LiveView, e: HealingEvent): LiveView {
  const next: LiveView = { ...v, updatedAt: e.at };
  switch (e.type) {
    case 'session-start':
      return { ...next, host: e.host, hostname: e.hostname, port: e.port, user: e.user, session: e.session, pid: e.pid, startedAt: e.at };
    case 'state':
      return {
        ...next,
        state: e.state,
        srttMs: e.srttMs,
        rttvarMs: e.rttvarMs,
        keepaliveMs: e.keepaliveMs,
        heldBytes: e.heldBytes,
        attempt: e.attempt,
        nextAttemptAt: e.nextAttemptAt,
        lastError: e.lastError,
      };
    case 'outage-start':
      return { ...next, outageSince: e.at, trigger: e.trigger };
    case 'outage-attempt':
      return { ...next, attempt: e.n };
    case 'outage-end':
      return { ...next, outageSince: undefined, trigger: undefined };
    case 'reset-recorded':
      return { ...next, resets: v.resets + 1, lastCause: e.record.cause };
    case 'reset-updated':
      return { ...next, lastCause: e.update.cause ?? v.lastCause };
    case 'notice':
      return { ...next, lastNotice: { text: e.text, level: e.level, at: e.at } };
    case 'exit':
      return { ...next, exitCode: e.code, state: 'stopped', outageSince: undefined };
  }
}
