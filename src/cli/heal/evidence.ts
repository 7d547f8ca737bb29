// Builds the classifier's Evidence from what the healing session saw: the outage, attempts, probes, server facts.
import type { AttemptEvidence, DriftEvidence, Evidence, InterfaceChange } from '../../diagnosis/evidence.js';
import type { Outcome } from '../../history/record.js';
import type { ServerFacts } from '../../remote/evidence-parse.js';
import type { ServerChanges } from '../../remote/server-changes.js';
import type { SessionRecord } from '../../remote/session-facts.js';

/** Everything the session gathered about one outage (epoch ms throughout): the classifier's evidence and the record come from it. */
export interface OutageFacts {
  target: { host: string; hostname: string; port: number };
  lastHeardAt: number;
  detectedAt: number;
  restoredAt?: number;
  /** When tether gave up or the user quit (not restored): the end of the downtime. */
  endedAt?: number;
  trigger: string;
  /** Links opened to replace the old one, and how the outage ended (the record's `attempts` and `outcome`). */
  reconnects: number;
  outcome: Outcome;
  silenceMs?: number;
  lastPingRttMs?: number;
  keepaliveMs?: number;
  learnedIdleLimitMs?: number;
  attempts: AttemptEvidence[];
  icmpReachable?: boolean;
  interfaceChanges: InterfaceChange[];
  drift?: DriftEvidence;
  /** What was recorded at connect, and what the new connection found (absent when none was made). */
  before: SessionRecord;
  after?: ServerFacts;
  changes?: ServerChanges;
  tmux: boolean;
}

/** The classifier's input. */
export function buildEvidence(f: OutageFacts): Evidence {
  const e: Evidence = {
    target: f.target,
    timing: { lastHeardAt: f.lastHeardAt, detectedAt: f.detectedAt, ...(f.restoredAt === undefined ? {} : { restoredAt: f.restoredAt }) },
    client: {
      trigger: { code: f.trigger },
      attempts: f.attempts,
      interfaceChanges: f.interfaceChanges,
      ...(f.silenceMs === undefined ? {} : { silenceMs: f.silenceMs }),
      ...(f.lastPingRttMs === undefined ? {} : { lastPingRttMs: f.lastPingRttMs }),
      ...(f.keepaliveMs === undefined ? {} : { keepaliveMs: f.keepaliveMs }),
      ...(f.learnedIdleLimitMs === undefined ? {} : { learnedIdleLimitMs: f.learnedIdleLimitMs }),
      ...(f.icmpReachable === undefined ? {} : { icmpReachable: f.icmpReachable }),
      ...(f.drift === undefined ? {} : { drift: f.drift }),
    },
  };
  const a = f.after;
  const c = f.changes;
  if (a && a.complete) {
    const sessionAlive = f.tmux ? (c?.tmuxSessionGone === undefined ? undefined : !c.tmuxSessionGone) : c?.channelGone === undefined ? undefined : !c.channelGone;
    e.server = {
      readAt: (a.nowEpoch ?? 0) * 1000 || f.restoredAt || f.detectedAt,
      ...(f.before.bootId === undefined ? {} : { bootIdBefore: f.before.bootId }),
      ...(a.bootId === undefined ? {} : { bootIdAfter: a.bootId }),
      ...(a.uptimeSec === undefined ? {} : { uptimeSec: a.uptimeSec }),
      ...(a.sshdMasterStart === undefined ? {} : { sshdMasterStartedAt: a.sshdMasterStart * 1000 }),
      ...(c?.sshdRestarted === undefined ? {} : { sshdMasterReplaced: c.sshdRestarted }),
      ...(sessionAlive === undefined ? {} : { previousSessionAlive: sessionAlive }),
      ...(c?.sshdSessionGone === undefined ? {} : { sshdSessionAlive: !c.sshdSessionGone }),
      ...(f.tmux && c?.tmuxSessionGone !== undefined ? { tmuxSessionAlive: !c.tmuxSessionGone } : {}),
      oomLines: c?.oomSinceConnect ?? [],
      sshdJournalLines: c?.journal ?? [],
    };
  }
  return e;
}
