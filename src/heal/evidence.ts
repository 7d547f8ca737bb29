// The classifier's Evidence, read from the one outage record and what the session knew beside it (the server's facts).
import type { Evidence } from '../diagnosis/evidence.js';
import type { EndedOutage } from '../recovery/index.js';
import type { ServerFacts } from '../remote/evidence-parse.js';
import type { ServerChanges } from '../remote/server-changes.js';
import type { SessionRecord } from '../remote/session-facts.js';

/** The trigger of a reconnect the user asked for (`~r`). */
export const USER_RETRY = 'user-retry';

/** What the session knew beside the outage record when it ended: where, the link's numbers, the server before and after. */
export interface ResetContext {
  target: { host: string; hostname: string; port: number };
  /** The machine's monotonic instants in wall ms. */
  toWall: (mono: number) => number;
  lastPingRttMs?: number;
  keepaliveMs?: number;
  learnedIdleLimitMs?: number;
  /** What was recorded at connect, and what the new connection found (absent when none was made). */
  before: SessionRecord;
  after?: ServerFacts;
  changes?: ServerChanges;
  tmux: boolean;
}

/** The outage's instants in wall ms; `end` is the restore when restored, else when tether gave up or the user quit. */
export function wallTimes(o: EndedOutage, toWall: (mono: number) => number): { lastHeardAt: number; detectedAt: number; end: number; restored: boolean } {
  return { lastHeardAt: toWall(o.lastHeardAt), detectedAt: toWall(o.detectedAt), end: toWall(o.end.at), restored: o.end.restored };
}

/** The trigger as the history names it (`~r` is `user`). */
export function triggerOf(o: EndedOutage): string {
  return o.trigger === USER_RETRY ? 'user' : o.trigger;
}

/** The classifier's input. */
export function buildEvidence(o: EndedOutage, c: ResetContext): Evidence {
  const t = wallTimes(o, c.toWall);
  const ev = o.evidence;
  const e: Evidence = {
    target: c.target,
    timing: { lastHeardAt: t.lastHeardAt, detectedAt: t.detectedAt, ...(t.restored ? { restoredAt: t.end } : {}) },
    client: {
      trigger: { code: triggerOf(o) },
      attempts: [...ev.attempts],
      interfaceChanges: [...ev.interfaceChanges],
      silenceMs: Math.max(0, o.detectedAt - o.lastHeardAt),
      ...(c.lastPingRttMs === undefined ? {} : { lastPingRttMs: c.lastPingRttMs }),
      ...(c.keepaliveMs === undefined ? {} : { keepaliveMs: c.keepaliveMs }),
      ...(c.learnedIdleLimitMs === undefined ? {} : { learnedIdleLimitMs: c.learnedIdleLimitMs }),
      ...(ev.icmpReachable === undefined ? {} : { icmpReachable: ev.icmpReachable }),
      ...(ev.drift === undefined ? {} : { drift: ev.drift }),
    },
  };
  const a = c.after;
  const ch = c.changes;
  if (a && a.complete) {
    const sessionAlive = c.tmux ? (ch?.tmuxSessionGone === undefined ? undefined : !ch.tmuxSessionGone) : ch?.channelGone === undefined ? undefined : !ch.channelGone;
    e.server = {
      readAt: (a.nowEpoch ?? 0) * 1000 || (t.restored ? t.end : t.detectedAt),
      ...(c.before.bootId === undefined ? {} : { bootIdBefore: c.before.bootId }),
      ...(a.bootId === undefined ? {} : { bootIdAfter: a.bootId }),
      ...(a.uptimeSec === undefined ? {} : { uptimeSec: a.uptimeSec }),
      ...(a.sshdMasterStart === undefined ? {} : { sshdMasterStartedAt: a.sshdMasterStart * 1000 }),
      ...(ch?.sshdRestarted === undefined ? {} : { sshdMasterReplaced: ch.sshdRestarted }),
      ...(sessionAlive === undefined ? {} : { previousSessionAlive: sessionAlive }),
      ...(ch?.sshdSessionGone === undefined ? {} : { sshdSessionAlive: !ch.sshdSessionGone }),
      ...(c.tmux && ch?.tmuxSessionGone !== undefined ? { tmuxSessionAlive: !ch.tmuxSessionGone } : {}),
      oomLines: ch?.oomSinceConnect ?? [],
      sshdJournalLines: ch?.journal ?? [],
    };
  }
  return e;
}
