// One line of the reset log (../shared/design.md, "The reset history log"): the type, its builder, its reader.
//
// Instants are ISO 8601 UTC strings with milliseconds (`2026-11-22T03:00:05.120Z`) so the file
// reads well with `tail`; durations are integer milliseconds. Absent facts are `null`.
// Only these fields are ever written: no keystrokes, passwords or key material have a place.
import type { Cause } from '../diagnosis/cause.js';
import { isCause } from '../diagnosis/cause.js';
import type { Diagnosis } from '../diagnosis/classify.js';

/** Version of the line format. */
export const RECORD_VERSION = 1;

/** How an outage ended. */
export const OUTCOMES = ['restored', 'survived', 'new-session', 'gave-up', 'user-quit', 'refused'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** One reset, as stored and as printed by `tether history --json`. */
export interface ResetRecord {
  v: 1;
  /** Random id; follow-up `update` lines name it. */
  id: string;
  /** The destination as typed (alias). */
  host: string;
  hostname: string;
  port: number;
  user: string;
  /** The remote tmux session name; null without tmux. */
  session: string | null;
  detectedAt: string;
  lastHeardAt: string;
  restoredAt: string | null;
  /** From detection to restore (or to giving up); null while unknown. */
  downtimeMs: number | null;
  /** Raw error code / event that showed the failure (`ECONNRESET`, `ping-timeout`, `EOF`). */
  trigger: string;
  cause: Cause;
  /** 0..1 (see diagnosis/classify.ts). */
  confidence: number;
  evidence: string[];
  advice: string[];
  /** Reconnect attempts made. */
  attempts: number;
  outcome: Outcome;
  /** Keep-alive interval in force after this reset; null when unknown. */
  keepaliveMs: number | null;
}

/** Fields an `update` line may change (slow evidence arriving after the record was written). */
export type ResetUpdate = Partial<
  Pick<
    ResetRecord,
    | 'session'
    | 'restoredAt'
    | 'downtimeMs'
    | 'cause'
    | 'confidence'
    | 'evidence'
    | 'advice'
    | 'attempts'
    | 'outcome'
    | 'keepaliveMs'
  >
>;

/** What the cli knows when an outage ends, in epoch ms. */
export interface ResetFacts {
  id: string;
  host: string;
  hostname: string;
  port: number;
  user: string;
  session?: string;
  lastHeardAt: number;
  detectedAt: number;
  restoredAt?: number;
  /** When tether gave up or the user quit (for downtime when not restored). */
  endedAt?: number;
  trigger: string;
  diagnosis: Pick<Diagnosis, 'cause' | 'confidence' | 'evidence' | 'advice'>;
  attempts: number;
  outcome: Outcome;
  keepaliveMs?: number;
}

/** Most evidence/advice lines kept, and longest line: a record stays one small write. */
const MAX_LINES = 40;
const MAX_LINE_CHARS = 400;

/** Lines safe to store and print: control characters (terminal escapes) removed, capped, no key blocks. */
export function cleanLines(lines: readonly string[]): string[] {
  return lines
    .filter((l) => typeof l === 'string' && !/PRIVATE KEY|BEGIN OPENSSH/.test(l))
    .map((l) => cleanText(l).slice(0, MAX_LINE_CHARS))
    .slice(0, MAX_LINES);
}

/** A string with control characters (ESC, CR, ...) replaced by spaces. */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The record for an outage, from what the cli knows (epoch ms in, ISO out). */
export function buildResetRecord(f: ResetFacts): ResetRecord {
  const end = f.restoredAt ?? f.endedAt;
  return {
    v: RECORD_VERSION,
    id: f.id,
    host: f.host,
    hostname: f.hostname,
    port: f.port,
    user: f.user,
    session: f.session ?? null,
    detectedAt: iso(f.detectedAt),
    lastHeardAt: iso(f.lastHeardAt),
    restoredAt: f.restoredAt === undefined ? null : iso(f.restoredAt),
    downtimeMs: end === undefined ? null : Math.max(0, Math.round(end - f.detectedAt)),
    trigger: f.trigger,
    cause: f.diagnosis.cause,
    confidence: f.diagnosis.confidence,
    evidence: cleanLines(f.diagnosis.evidence),
    advice: cleanLines(f.diagnosis.advice),
    attempts: f.attempts,
    outcome: f.outcome,
    keepaliveMs: f.keepaliveMs ?? null,
  };
}

type Json = Record<string, unknown>;
const str = (o: Json, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
const num = (o: Json, k: string): number | undefined =>
  typeof o[k] === 'number' && Number.isFinite(o[k]) ? (o[k] as number) : undefined;
const strs = (o: Json, k: string): string[] | undefined =>
  Array.isArray(o[k]) ? cleanLines((o[k] as unknown[]).filter((x): x is string => typeof x === 'string')) : undefined;
const isoOrNull = (o: Json, k: string): string | null | undefined => {
  const s = str(o, k);
  if (s !== undefined) return Number.isNaN(Date.parse(s)) ? undefined : s;
  return o[k] === null ? null : undefined;
};
const numOrNull = (o: Json, k: string): number | null | undefined => (o[k] === null ? null : num(o, k));

/** The fields of an update line that are well-formed (others are ignored). */
export function readUpdate(o: Json): ResetUpdate {
  const u: ResetUpdate = {};
  const session = o.session === null ? null : str(o, 'session');
  if (session !== undefined) u.session = session;
  const restoredAt = isoOrNull(o, 'restoredAt');
  if (restoredAt !== undefined) u.restoredAt = restoredAt;
  const downtimeMs = numOrNull(o, 'downtimeMs');
  if (downtimeMs !== undefined) u.downtimeMs = downtimeMs;
  const cause = str(o, 'cause');
  if (cause !== undefined && isCause(cause)) u.cause = cause;
  const confidence = num(o, 'confidence');
  if (confidence !== undefined) u.confidence = confidence;
  const evidence = strs(o, 'evidence');
  if (evidence !== undefined) u.evidence = evidence;
  const advice = strs(o, 'advice');
  if (advice !== undefined) u.advice = advice;
  const attempts = num(o, 'attempts');
  if (attempts !== undefined) u.attempts = attempts;
  const outcome = str(o, 'outcome');
  if (outcome !== undefined && (OUTCOMES as readonly string[]).includes(outcome)) u.outcome = outcome as Outcome;
  const keepaliveMs = numOrNull(o, 'keepaliveMs');
  if (keepaliveMs !== undefined) u.keepaliveMs = keepaliveMs;
  return u;
}

/** A full record from a parsed line, or why it is not one. Lenient: only id, host and detectedAt are required. */
export function readRecord(o: Json): ResetRecord | string {
  const id = str(o, 'id');
  const host = str(o, 'host');
  const detectedAt = isoOrNull(o, 'detectedAt');
  if (o.v !== RECORD_VERSION) return `unknown version ${JSON.stringify(o.v ?? null)}`;
  if (id === undefined || id === '') return 'no id';
  if (host === undefined) return 'no host';
  if (typeof detectedAt !== 'string') return 'no valid detectedAt';
  const u = readUpdate(o);
  return {
    v: RECORD_VERSION,
    id,
    host,
    hostname: str(o, 'hostname') ?? host,
    port: num(o, 'port') ?? 22,
    user: str(o, 'user') ?? '',
    session: u.session ?? null,
    detectedAt,
    lastHeardAt: isoOrNull(o, 'lastHeardAt') ?? detectedAt,
    restoredAt: u.restoredAt ?? null,
    downtimeMs: u.downtimeMs ?? null,
    trigger: str(o, 'trigger') ?? '',
    cause: u.cause ?? 'unknown',
    confidence: u.confidence ?? 0,
    evidence: u.evidence ?? [],
    advice: u.advice ?? [],
    attempts: u.attempts ?? 0,
    outcome: u.outcome ?? 'restored',
    keepaliveMs: u.keepaliveMs ?? null,
  };
}

/** The record with only its own fields, in a fixed order (what is written and printed). */
export function toPlain(r: ResetRecord): ResetRecord {
  const { v, id, host, hostname, port, user, session, detectedAt, lastHeardAt, restoredAt, downtimeMs } = r;
  const { trigger, cause, confidence, evidence, advice, attempts, outcome, keepaliveMs } = r;
  return {
    v,
    id,
    host,
    hostname,
    port,
    user,
    session,
    detectedAt,
    lastHeardAt,
    restoredAt,
    downtimeMs,
    trigger,
    cause,
    confidence,
    evidence,
    advice,
    attempts,
    outcome,
    keepaliveMs,
  };
}
