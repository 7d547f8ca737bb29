// Measures a path's idle limit in rounds of sacrificial idle connections (planned by recovery/idle-learning).
import { applyIdleProbeResults, keepaliveForBounds, MIN_KEEPALIVE_MS, planIdleProbes } from '../../recovery/idle-learning.js';
import type { IdleBounds } from '../../recovery/idle-learning.js';
import type { Link } from '../../transport/link.js';
import { runIdleProbes } from '../idle-probe.js';

/** What a measurement needs. */
export interface IdleMeasureInput {
  /** Opens one sacrificial connection (no keep-alives of any kind on it). */
  open: () => Promise<Link>;
  /** What is known: the silence that killed the link is the upper bound. */
  bounds: IdleBounds;
  signal: AbortSignal;
  debug: (line: string) => void;
  /** Most parallel connections and rounds (each round is one idle wait long). */
  maxProbes?: number;
  maxRounds?: number;
}

/** The measured bounds, the keep-alive to use (0.5 × limit) and a line for the status bar. */
export interface IdleMeasureResult {
  bounds: IdleBounds;
  keepaliveMs: number;
  summary: string;
}

/** Runs up to maxRounds rounds; undefined when aborted. */
export async function measureIdleLimit(input: IdleMeasureInput): Promise<IdleMeasureResult | undefined> {
  let bounds = input.bounds;
  for (let round = 0; round < (input.maxRounds ?? 3) && !input.signal.aborted; round++) {
    const waits = planIdleProbes(bounds, { maxProbes: input.maxProbes ?? 8 });
    if (waits.length === 0) break;
    input.debug(`idle probes round ${round}: waits ${waits.join(',')}`);
    const results = await runIdleProbes(input.open, waits, { signal: input.signal });
    if (input.signal.aborted) return undefined;
    const m = applyIdleProbeResults(bounds, results);
    input.debug(`idle probes results ${JSON.stringify(results)} -> ${JSON.stringify(m)}`);
    bounds = m.bounds;
    if (m.converged || results.every((r) => r.outcome === 'error')) break;
  }
  const keepaliveMs = keepaliveForBounds(bounds) ?? MIN_KEEPALIVE_MS;
  const secs = (ms: number): string => `${Math.round(ms / 1000)} s`;
  const upper = bounds.upperMs === undefined ? '?' : secs(bounds.upperMs);
  return { bounds, keepaliveMs, summary: `idle limit of the path: ${secs(bounds.lowerMs)}–${upper}; keep-alive now ${secs(keepaliveMs)}` };
}
