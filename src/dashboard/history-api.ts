// `GET /api/history` and `/api/reset`: the log read as `tether history` reads it (same filters), never written.
import { stat } from 'node:fs/promises';
import { TetherError } from '../common/errors.js';
import { isCause } from '../diagnosis/cause.js';
import { parseSince, sinceCutoff } from '../history/args.js';
import { readResets } from '../history/log.js';
import { filterResets } from '../history/query.js';
import type { HistoryFilter } from '../history/query.js';
import type { ResetRecord } from '../history/record.js';
import { historyData } from './history-data.js';
import type { DatedHostStates, HistoryData } from './history-data.js';

/** Where the history comes from. */
export interface HistorySource {
  file: string;
  /** The learned per-host state, read fresh on each request. */
  hostStates: () => Promise<DatedHostStates>;
  now: () => number;
}

/** The answer of /api/history: the plots' data, the filter applied, and how many damaged lines were skipped. */
export interface HistoryAnswer extends HistoryData {
  skipped: number;
  /** The first few skip warnings, as `tether history` prints them. */
  warnings: string[];
  /** Every host in the log (for the filter's list), whatever the filter. */
  allHosts: string[];
  total: number;
}

/** The filter from query parameters, as `tether history [host] --cause C --since S` takes them. */
export function filterFromQuery(q: URLSearchParams, now: number): HistoryFilter {
  const f: HistoryFilter = {};
  const host = q.get('host');
  if (host) f.host = host;
  const cause = q.get('cause');
  if (cause) {
    if (!isCause(cause)) throw new TetherError('usage', `cause: unknown cause ${JSON.stringify(cause)}`);
    f.cause = cause;
  }
  const since = q.get('since');
  if (since) f.since = sinceCutoff(parseSince(since), now);
  return f;
}

/** The log as last read, by file and its size and mtime: a page's requests do not parse it again unless it changed. */
let lastRead: { key: string; read: Promise<{ records: ResetRecord[]; warnings: string[] }> } | undefined;

/** Reads the log with its damaged lines counted (records are not changed by readers: shared between requests). */
async function readCounted(file: string): Promise<{ records: ResetRecord[]; warnings: string[] }> {
  const st = await stat(file).catch(() => undefined);
  const key = `${file}:${st?.size ?? -1}:${st?.mtimeMs ?? -1}`;
  if (lastRead?.key !== key) {
    const warnings: string[] = [];
    const read = readResets(file, (w) => warnings.push(w)).then((records) => ({ records, warnings }));
    lastRead = { key, read };
    read.catch(() => (lastRead = undefined));
  }
  return lastRead.read;
}

/** The history answer for a query. */
export async function historyAnswer(src: HistorySource, q: URLSearchParams): Promise<HistoryAnswer> {
  const filter = filterFromQuery(q, src.now());
  const { records, warnings } = await readCounted(src.file);
  const data = historyData(filterResets(records, filter), await src.hostStates());
  return { ...data, skipped: warnings.length, warnings: warnings.slice(0, 5), allHosts: [...new Set(records.map((r) => r.host))].sort(), total: records.length };
}

/** One record in full (evidence, advice), or undefined. */
export async function resetById(src: HistorySource, id: string): Promise<ResetRecord | undefined> {
  const { records } = await readCounted(src.file);
  return records.find((r) => r.id === id);
}
