// Small statistics for benchmark samples: median and p90 (nearest rank), and the ratio of two medians.

/** A summary of one tool's samples in one benchmark (null fields: no successful sample). */
export interface Summary {
  /** Median of the successful samples. */
  median: number | null;
  /** 90th percentile (nearest rank) of the successful samples. */
  p90: number | null;
  /** Successful samples. */
  n: number;
  /** Trials that produced no value (timed out, never recovered). */
  failed: number;
  /** The raw samples, for latest.json. */
  samples: number[];
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/** Summarises samples; null or NaN entries count as failed trials. */
export function summarize(values: readonly (number | null)[]): Summary {
  const ok = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const sorted = [...ok].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p90: percentile(sorted, 90), n: ok.length, failed: values.length - ok.length, samples: ok };
}

/** a / b of two medians, or null when either is missing or b is 0. */
export function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null;
  return a / b;
}
