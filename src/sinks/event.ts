// The one structured event every sink carries: built from a history record, with a stable schema and no secrets.
import type { ResetRecord } from '../history/record.js';
import { cleanText } from '../history/record.js';

/** Version of the event schema (bumped only on an incompatible change). */
export const EVENT_SCHEMA = 1;

/** The fixed message id of a reset (journald MESSAGE_ID, syslog MSGID, OTel attribute): 128 bits, hex. */
export const RESET_MESSAGE_ID = 'b1a7e3d42c6f4f0e9d5a8c3e7f21a6d0';

/** `reset`: the record as first written; `update`: the same id once slow evidence is in; `export`: a replay of the history. */
export type EventKind = 'reset' | 'update' | 'export';

/** One reset as sent to a sink: only the history record's fields and where it was seen, never keystrokes or keys. */
export interface ResetEvent {
  schema: typeof EVENT_SCHEMA;
  messageId: typeof RESET_MESSAGE_ID;
  kind: EventKind;
  /** The record's id: a receiver dedupes on (id, kind). */
  id: string;
  host: string;
  hostname: string;
  port: number;
  user: string;
  session: string | null;
  cause: string;
  confidence: number;
  trigger: string;
  detectedAt: string;
  restoredAt: string | null;
  downtimeMs: number | null;
  outcome: string;
  attempts: number;
  /** The evidence lines joined with '; ', capped. */
  evidence: string;
  /** tether's version. */
  version: string;
  /** This machine, as an app-specific id (see machine-id.ts). */
  machineId: string;
  /** This machine's host name. */
  localHost: string;
}

/** What the sender adds to every record. */
export interface EventOrigin {
  version: string;
  machineId: string;
  localHost: string;
}

/** Longest evidence summary: a syslog line stays well under the 2048 octets every receiver takes. */
const MAX_EVIDENCE_CHARS = 600;

/** The evidence lines as one short line. */
export function evidenceSummary(lines: readonly string[]): string {
  const s = lines.map(cleanText).join('; ');
  return s.length > MAX_EVIDENCE_CHARS ? `${s.slice(0, MAX_EVIDENCE_CHARS - 1)}…` : s;
}

/** The event for a record (the record's own fields are already cleaned by history/record.ts). */
export function buildResetEvent(r: ResetRecord, kind: EventKind, origin: EventOrigin): ResetEvent {
  return {
    schema: EVENT_SCHEMA,
    messageId: RESET_MESSAGE_ID,
    kind,
    id: r.id,
    host: cleanText(r.host),
    hostname: cleanText(r.hostname),
    port: r.port,
    user: cleanText(r.user),
    session: r.session === null ? null : cleanText(r.session),
    cause: r.cause,
    confidence: r.confidence,
    trigger: cleanText(r.trigger),
    detectedAt: r.detectedAt,
    restoredAt: r.restoredAt,
    downtimeMs: r.downtimeMs,
    outcome: r.outcome,
    attempts: r.attempts,
    evidence: evidenceSummary(r.evidence),
    version: origin.version,
    machineId: origin.machineId,
    localHost: cleanText(origin.localHost),
  };
}

/** A field of the event as the sinks send it: name and value, in the schema's order. */
export type EventField = readonly [string, string | number];

/** The record's fields every sink sends, in one fixed order; absent values are left out. */
export function eventFields(e: ResetEvent): EventField[] {
  const all: [string, string | number | null][] = [
    ['id', e.id],
    ['kind', e.kind],
    ['host', e.host],
    ['hostname', e.hostname],
    ['port', e.port],
    ['user', e.user],
    ['session', e.session],
    ['cause', e.cause],
    ['confidence', e.confidence],
    ['trigger', e.trigger],
    ['detectedAt', e.detectedAt],
    ['restoredAt', e.restoredAt],
    ['downtimeMs', e.downtimeMs],
    ['outcome', e.outcome],
    ['attempts', e.attempts],
    ['evidence', e.evidence],
    ['version', e.version],
    ['machineId', e.machineId],
  ];
  return all.filter((f): f is [string, string | number] => f[1] !== null);
}

/** One human line: "reset of db1 (10.0.0.5:22): idle-timeout, restored after 4.2 s". */
export function eventMessage(e: ResetEvent): string {
  const down = e.downtimeMs === null ? '' : ` after ${(e.downtimeMs / 1000).toFixed(1)} s`;
  const what = e.kind === 'update' ? 'reset updated' : 'reset';
  return `${what} of ${e.host} (${e.hostname}:${e.port}): ${e.cause}, ${e.outcome}${down}`;
}

/** Outcomes that mean the session was lost: reported one severity higher. */
export function isLoss(e: ResetEvent): boolean {
  return e.outcome === 'gave-up' || e.outcome === 'refused' || e.outcome === 'new-session';
}

/** Parses an event stored in a queue file; undefined when the file is not one. */
export function readEvent(text: string): ResetEvent | undefined {
  try {
    const o = JSON.parse(text) as Partial<ResetEvent> | null;
    if (o === null || typeof o !== 'object' || o.schema !== EVENT_SCHEMA || typeof o.id !== 'string') return undefined;
    return o as ResetEvent;
  } catch {
    return undefined;
  }
}
