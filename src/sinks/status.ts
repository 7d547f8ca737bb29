// Each sink's delivery state on disk (last success, last error, dropped), and its one line in `tether history --sinks`.
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../common/errors.js';

/** What a sink's deliveries came to, as last written by any tether process. */
export interface SinkStatus {
  lastSuccessAt?: string;
  lastErrorAt?: string;
  /** One line: what the last failure said. */
  lastError?: string;
  /** Events dropped because the queue was full, since the queue was created. */
  dropped?: number;
}

const FILE = 'status.json';

/** The status in a sink's directory; empty when none was written. */
export async function readStatus(dir: string): Promise<SinkStatus> {
  try {
    const o = JSON.parse(await readFile(join(dir, FILE), 'utf8')) as unknown;
    if (typeof o !== 'object' || o === null) return {};
    const r = o as Record<string, unknown>;
    const s: SinkStatus = {};
    if (typeof r.lastSuccessAt === 'string') s.lastSuccessAt = r.lastSuccessAt;
    if (typeof r.lastErrorAt === 'string') s.lastErrorAt = r.lastErrorAt;
    if (typeof r.lastError === 'string') s.lastError = r.lastError;
    if (typeof r.dropped === 'number') s.dropped = r.dropped;
    return s;
  } catch {
    return {};
  }
}

/** Replaces the status (written whole, then renamed: a reader never sees half of it). */
export async function writeStatus(dir: string, s: SinkStatus): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${FILE}.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(s), { mode: 0o600 });
  await rename(tmp, join(dir, FILE));
}

/** An error as one short line (no stack, no newlines). */
export function oneLine(err: unknown): string {
  return messageOf(err).replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** `syslog tcp://127.0.0.1:5514: ok (last sent 2026-…), 0 queued` or `…: failing since …: ECONNREFUSED, 3 queued`. */
export function statusLine(name: string, target: string, s: SinkStatus, queued: number): string {
  const failing = s.lastErrorAt !== undefined && (s.lastSuccessAt === undefined || s.lastErrorAt > s.lastSuccessAt);
  const sent = s.lastSuccessAt === undefined ? 'nothing sent yet' : `last sent ${s.lastSuccessAt}`;
  const state = failing ? `failing (${s.lastErrorAt ?? ''}: ${s.lastError ?? 'error'}; ${sent})` : `ok (${sent})`;
  const dropped = s.dropped ? `, ${s.dropped} dropped (queue full)` : '';
  return `${name} ${target}: ${state}, ${queued} queued${dropped}`;
}
