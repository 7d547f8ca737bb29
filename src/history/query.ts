// Filtering the reset log and summing it up per host.
import type { Cause } from '../diagnosis/cause.js';
import type { ResetRecord } from './record.js';

/** What to keep; every field absent = no constraint. */
export interface HistoryFilter {
  /** Matches the alias as typed or the hostname. */
  host?: string;
  /** Keep resets detected at or after this instant (epoch ms). */
  since?: number;
  cause?: Cause;
}

/**
 * What tether learned about a host (passed in by the cli, from config's per-host state).
 * Structurally a subset of config's HostState, so `store.all()` can be passed as is.
 */
export interface HistoryHostState {
  /** The silence (ms) after which the path dropped an idle link. */
  idleBoundMs?: number;
  /** The keep-alive interval tether uses now. */
  keepaliveMs?: number;
}

/**
 * Learned state by host, keyed `user@hostname:port` (config's hostKey) or by the alias;
 * the first key found wins.
 */
export type HistoryHostStates = Readonly<Record<string, HistoryHostState>>;

/** One host's line in the summary. */
export interface HostSummary {
  host: string;
  resets: number;
  /** Resets per cause, most frequent first. */
  byCause: { cause: Cause; count: number }[];
  /** Sum of known downtimes. */
  downtimeMs: number;
  idleLimitMs?: number;
  keepaliveMs?: number;
}

/** The records that pass the filter, order kept (oldest first as read). */
export function filterResets(records: readonly ResetRecord[], f: HistoryFilter): ResetRecord[] {
  return records.filter(
    (r) =>
      (f.host === undefined || r.host === f.host || r.hostname === f.host) &&
      (f.cause === undefined || r.cause === f.cause) &&
      (f.since === undefined || Date.parse(r.detectedAt) >= f.since),
  );
}

/** The learned state for a record's destination. */
function stateFor(r: ResetRecord, states: HistoryHostStates | undefined): HistoryHostState | undefined {
  if (states === undefined) return undefined;
  return states[`${r.user}@${r.hostname}:${r.port}`] ?? states[r.host];
}

/** Per-host totals, hosts in order of their first reset. */
export function summarize(records: readonly ResetRecord[], states?: HistoryHostStates): HostSummary[] {
  const byHost = new Map<string, ResetRecord[]>();
  for (const r of records) {
    const list = byHost.get(r.host) ?? [];
    list.push(r);
    byHost.set(r.host, list);
  }
  return [...byHost.entries()].map(([host, list]) => {
    const counts = new Map<Cause, number>();
    for (const r of list) counts.set(r.cause, (counts.get(r.cause) ?? 0) + 1);
    const latest = list[list.length - 1];
    const state = latest === undefined ? undefined : stateFor(latest, states);
    const s: HostSummary = {
      host,
      resets: list.length,
      byCause: [...counts.entries()].map(([cause, count]) => ({ cause, count })).sort((a, b) => b.count - a.count),
      downtimeMs: list.reduce((sum, r) => sum + (r.downtimeMs ?? 0), 0),
    };
    if (state?.idleBoundMs !== undefined) s.idleLimitMs = state.idleBoundMs;
    const keepalive = state?.keepaliveMs ?? latest?.keepaliveMs ?? undefined;
    if (keepalive !== undefined && keepalive !== null) s.keepaliveMs = keepalive;
    return s;
  });
}
