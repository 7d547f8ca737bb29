// The page's history data, built once on the server: a compact row per reset and what each plot draws.
import type { Cause } from '../diagnosis/cause.js';
import type { HistoryHostStates } from '../history/query.js';
import type { ResetRecord } from '../history/record.js';

/** One reset as the timeline and the table need it (evidence and advice are fetched on click). */
export interface ResetRow {
  id: string;
  host: string;
  /** detectedAt, epoch ms. */
  t: number;
  cause: Cause;
  downtimeMs: number | null;
  outcome: string;
  trigger: string;
}

/** A point of the learned idle limit of one host. */
export interface IdlePoint {
  t: number;
  ms: number;
  /** `reset`: an idle-timeout's silence bounded it; `learned`: the host state as saved now. */
  from: 'reset' | 'learned';
}

/** Everything the history half of the page draws. */
export interface HistoryData {
  rows: ResetRow[];
  hosts: string[];
  causes: Cause[];
  /** Downtime (ms) per UTC day and cause, days in order. */
  downtimePerDay: { day: string; byCause: Partial<Record<Cause, number>> }[];
  /** Resets per host and cause. */
  causesPerHost: { host: string; byCause: Partial<Record<Cause, number>> }[];
  /** The learned idle limit over time, per host (hosts without one are left out). */
  idleLimit: { host: string; points: IdlePoint[] }[];
}

/** What the cli knows about the learned state: by `user@hostname:port` key, with when it last changed. */
export type DatedHostStates = Readonly<Record<string, HistoryHostStates[string] & { updatedAt?: number }>>;

const DAY_MS = 86_400_000;

/** Builds the plots' data from records already filtered (oldest first). */
export function historyData(records: readonly ResetRecord[], states: DatedHostStates = {}): HistoryData {
  const rows: ResetRow[] = records.map((r) => ({
    id: r.id,
    host: r.host,
    t: Date.parse(r.detectedAt),
    cause: r.cause,
    downtimeMs: r.downtimeMs,
    outcome: r.outcome,
    trigger: r.trigger,
  }));
  const hosts = [...new Set(rows.map((r) => r.host))];
  const causes = [...new Set(rows.map((r) => r.cause))];
  const perDay = new Map<string, Partial<Record<Cause, number>>>();
  const perHost = new Map<string, Partial<Record<Cause, number>>>();
  for (const r of rows) {
    const day = new Date(Math.floor(r.t / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    const d = perDay.get(day) ?? {};
    d[r.cause] = (d[r.cause] ?? 0) + (r.downtimeMs ?? 0);
    perDay.set(day, d);
    const h = perHost.get(r.host) ?? {};
    h[r.cause] = (h[r.cause] ?? 0) + 1;
    perHost.set(r.host, h);
  }
  return {
    rows,
    hosts,
    causes,
    downtimePerDay: [...perDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, byCause]) => ({ day, byCause })),
    causesPerHost: [...perHost.entries()].map(([host, byCause]) => ({ host, byCause })),
    idleLimit: idleLimitOverTime(records, states),
  };
}

/**
 * The idle limit tether knew for each host after each idle-timeout reset: the shortest silence that killed a link
 * so far (as recovery's afterIdleReset keeps it), then the host state as saved now (it also learns from measurements).
 */
export function idleLimitOverTime(records: readonly ResetRecord[], states: DatedHostStates = {}): { host: string; points: IdlePoint[] }[] {
  const byHost = new Map<string, { key: string; points: IdlePoint[]; bound: number | undefined }>();
  for (const r of records) {
    const entry = byHost.get(r.host) ?? { key: `${r.user}@${r.hostname}:${r.port}`, points: [], bound: undefined };
    byHost.set(r.host, entry);
    if (r.cause !== 'idle-timeout') continue;
    const t = Date.parse(r.detectedAt);
    const silence = t - Date.parse(r.lastHeardAt);
    if (!(silence > 0)) continue;
    entry.bound = entry.bound === undefined ? silence : Math.min(entry.bound, silence);
    entry.points.push({ t, ms: entry.bound, from: 'reset' });
  }
  const out: { host: string; points: IdlePoint[] }[] = [];
  for (const [host, e] of byHost) {
    const st = states[e.key] ?? states[host];
    const last = e.points[e.points.length - 1];
    if (st?.idleBoundMs !== undefined) {
      const t = st.updatedAt ?? last?.t;
      if (t !== undefined && (last === undefined || t >= last.t)) e.points.push({ t, ms: st.idleBoundMs, from: 'learned' });
    }
    if (e.points.length > 0) out.push({ host, points: e.points });
  }
  return out;
}
