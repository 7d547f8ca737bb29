// After an outage: classify it, append it to the history, learn the host's idle limit, and say what changed.
import { classify } from '../diagnosis/classify.js';
import type { Diagnosis } from '../diagnosis/classify.js';
import type { HostStateStore } from '../config/host-state.js';
import { appendReset, appendUpdate, newResetId } from '../history/log.js';
import { buildResetRecord } from '../history/record.js';
import type { ResetRecord, ResetUpdate } from '../history/record.js';
import { afterIdleReset, keepaliveForBounds } from '../recovery/idle-learning.js';
import type { EndedOutage } from '../recovery/index.js';
import { buildEvidence, triggerOf, wallTimes } from './evidence.js';
import type { ResetContext } from './evidence.js';

/** Where records go and what is learned. */
export interface RecorderDeps {
  historyFile: string;
  hostState: HostStateStore | undefined;
  hostStateKey: string;
  user: string;
  session: string | undefined;
  warn: (message: string) => void;
  /** Told of each update appended (the session publishes it on its event port). */
  onUpdate?: (id: string, fields: ResetUpdate) => void;
}

/** What recording an outage produced. */
export interface RecordedReset {
  record: ResetRecord;
  diagnosis: Diagnosis;
  /** A new idle keep-alive learned from an idle-timeout, to apply at once. */
  learnedKeepaliveMs?: number;
  /** The one-line summary for the status bar. */
  summary: string;
}

/** Classifies, learns and appends one reset; never throws (a history that cannot be written is a warning). */
export async function recordOutage(deps: RecorderDeps, outage: EndedOutage, ctx: ResetContext): Promise<RecordedReset> {
  const diagnosis = classify(buildEvidence(outage, ctx));
  let learnedKeepaliveMs: number | undefined;
  if (diagnosis.cause === 'idle-timeout' && diagnosis.idleLimitMs !== undefined && deps.hostState) {
    try {
      const st = deps.hostState.get(deps.hostStateKey);
      const bounds = afterIdleReset({ lowerMs: st.idleSurvivedMs ?? 0, upperMs: st.idleBoundMs }, diagnosis.idleLimitMs);
      learnedKeepaliveMs = keepaliveForBounds(bounds);
      deps.hostState.update(deps.hostStateKey, {
        ...(bounds.upperMs === undefined ? {} : { idleBoundMs: bounds.upperMs }),
        idleSurvivedMs: bounds.lowerMs,
        ...(learnedKeepaliveMs === undefined ? {} : { keepaliveMs: learnedKeepaliveMs }),
      });
    } catch (err) {
      deps.warn(`tether: could not save what was learned about ${ctx.target.host}: ${String(err)}`);
    }
  }
  const keepaliveMs = learnedKeepaliveMs ?? ctx.keepaliveMs;
  const t = wallTimes(outage, ctx.toWall);
  const record = buildResetRecord({
    id: newResetId(),
    host: ctx.target.host,
    hostname: ctx.target.hostname,
    port: ctx.target.port,
    user: deps.user,
    ...(deps.session === undefined ? {} : { session: deps.session }),
    lastHeardAt: t.lastHeardAt,
    detectedAt: t.detectedAt,
    ...(t.restored ? { restoredAt: t.end } : { endedAt: t.end }),
    trigger: triggerOf(outage),
    diagnosis,
    attempts: outage.attempts,
    outcome: outage.end.outcome,
    ...(keepaliveMs === undefined ? {} : { keepaliveMs }),
  });
  try {
    await appendReset(deps.historyFile, record);
  } catch (err) {
    deps.warn(`tether: could not write the reset history ${deps.historyFile}: ${String(err)}`);
  }
  return { record, diagnosis, ...(learnedKeepaliveMs === undefined ? {} : { learnedKeepaliveMs }), summary: summaryLine(record, diagnosis, learnedKeepaliveMs) };
}

/** Adds slow evidence (journal, OOM lines) to a record already written: an update line, never a rewrite. */
export async function amendOutage(deps: RecorderDeps, id: string, outage: EndedOutage, ctx: ResetContext): Promise<Diagnosis> {
  const diagnosis = classify(buildEvidence(outage, ctx));
  const fields: ResetUpdate = { cause: diagnosis.cause, confidence: diagnosis.confidence, evidence: diagnosis.evidence, advice: diagnosis.advice };
  try {
    await appendUpdate(deps.historyFile, id, fields);
  } catch (err) {
    deps.warn(`tether: could not update the reset history: ${String(err)}`);
  }
  deps.onUpdate?.(id, fields);
  return diagnosis;
}

/** A duration as the bar says it: one decimal below 10 s. */
export function secs(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * "link down 12 s: idle timeout after ≤ 30 s; keep-alive now 15 s", from the record as written: the bar, the
 * history and the demo's closing summary show the same duration (the record's downtimeMs), cause and outcome.
 */
export function summaryLine(record: Pick<ResetRecord, 'downtimeMs' | 'outcome'>, d: Diagnosis, keepaliveMs: number | undefined): string {
  const down = secs(record.downtimeMs ?? 0);
  const what = record.outcome === 'survived' ? `link stalled ${down}, survived` : `link down ${down}`;
  const why = d.cause === 'idle-timeout' && d.idleLimitMs !== undefined ? `idle timeout after ≤ ${secs(d.idleLimitMs)}` : d.cause;
  const changed = keepaliveMs !== undefined ? `; keep-alive now ${secs(keepaliveMs)}` : '';
  const fresh = record.outcome === 'new-session' ? '; new shell (the old one is gone)' : '';
  return `${what}: ${why}${changed}${fresh}`;
}
