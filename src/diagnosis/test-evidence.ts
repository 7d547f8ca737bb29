// Builders for evidence in tests (and for `tether demo`): a healthy base, overridden per row.
import type { AttemptEvidence, AttemptResult, ClientEvidence, Evidence, ServerEvidence } from './evidence.js';

/** A fixed instant the builders count from, so rows are reproducible. */
export const T0 = Date.UTC(2026, 10, 22, 3, 0, 0);

/** Boot ids used by the builders (the "before" one is the base). */
export const BOOT_A = '3f2a0c1e-5b7d-4e1f-9a2b-0c3d4e5f6a7b';
export const BOOT_B = '9c1e7d2a-1b3c-4d5e-8f90-a1b2c3d4e5f6';

/** A run of attempts: each spec is a result, or [result, durationMs]; they follow each other 1 s apart. */
export function attempts(startAt: number, ...specs: (AttemptResult | [AttemptResult, number])[]): AttemptEvidence[] {
  let at = startAt;
  return specs.map((s) => {
    const [result, durationMs] = typeof s === 'string' ? [s, 100] : s;
    const a: AttemptEvidence = { result, startedAt: at, durationMs };
    at += durationMs + 1000;
    return a;
  });
}

/** The shape a test row gives: client fields, server fields (null = no server facts). */
export interface EvidenceOverrides {
  silenceMs?: number;
  client?: Partial<ClientEvidence>;
  server?: Partial<ServerEvidence> | null;
}

/** A healthy server as read after the reconnect: same boot, old master, session alive. */
export function healthyServer(readAt: number): ServerEvidence {
  return {
    readAt,
    bootIdBefore: BOOT_A,
    bootIdAfter: BOOT_A,
    uptimeSec: 10 * 86_400,
    sshdMasterStartedAt: T0 - 5 * 86_400_000,
    previousSessionAlive: true,
    tmuxSessionAlive: true,
    oomLines: [],
    sshdJournalLines: [],
  };
}

/** Evidence for host `web` (198.18.0.2:22): link last heard at T0, failed after `silenceMs`. */
export function evidence(o: EvidenceOverrides = {}): Evidence {
  const silenceMs = o.silenceMs ?? 5000;
  const detectedAt = T0 + silenceMs;
  const client: ClientEvidence = {
    trigger: { code: 'ECONNRESET' },
    silenceMs,
    attempts: attempts(detectedAt + 10, 'ok'),
    interfaceChanges: [],
    keepaliveMs: 25_000,
    ...o.client,
  };
  const last = client.attempts[client.attempts.length - 1];
  const restoredAt = last?.result === 'ok' ? last.startedAt + last.durationMs : undefined;
  const e: Evidence = {
    target: { host: 'web', hostname: '198.18.0.2', port: 22 },
    timing: { lastHeardAt: T0, detectedAt, restoredAt },
    client,
  };
  if (o.server !== null && restoredAt !== undefined) {
    e.server = { ...healthyServer(restoredAt + 50), ...o.server };
  } else if (o.server !== null && o.server !== undefined) {
    e.server = { ...healthyServer(detectedAt + 50), ...o.server };
  }
  return e;
}
