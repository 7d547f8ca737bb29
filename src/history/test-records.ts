// Builders for reset records in tests and demos.
import type { Cause } from '../diagnosis/cause.js';
import type { Outcome, ResetRecord } from './record.js';
import { buildResetRecord } from './record.js';

/** A record for `host` with the cause given, detected at `detectedAt` (epoch ms), down `downMs`. */
export function sampleRecord(
  id: string,
  host: string,
  cause: Cause,
  detectedAt: number,
  downMs = 4000,
  outcome: Outcome = 'restored',
): ResetRecord {
  return buildResetRecord({
    id,
    host,
    hostname: `${host}.example`,
    port: 22,
    user: 'alice',
    session: `tether-${id}`,
    lastHeardAt: detectedAt - 1000,
    detectedAt,
    restoredAt: outcome === 'restored' ? detectedAt + downMs : undefined,
    endedAt: detectedAt + downMs,
    trigger: 'ECONNRESET',
    diagnosis: {
      cause,
      confidence: 0.9,
      evidence: [`${cause} evidence for ${id}`, 'same boot (boot_id 3f2a… unchanged)'],
      advice: [`advice for ${cause}`],
    },
    attempts: 2,
    outcome,
    keepaliveMs: 25_000,
  });
}
