// Reconnect backoff: exponential with full jitter (AWS "Exponential Backoff and Jitter"), pure.

/** A source of uniform random numbers in [0, 1): Math.random in production, seeded in tests. */
export type RandomSource = () => number;

/** Backoff tuning; defaults are design.md's (base 250 ms, cap 30 s). */
export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
}

/** Default first ceiling: quick enough that a brief outage costs a fraction of a second. */
export const BACKOFF_BASE_MS = 250;
/** Default largest ceiling: a long outage is still retried twice a minute. */
export const BACKOFF_CAP_MS = 30_000;

/** The ceiling for a given attempt number (0-based): min(cap, base·2^attempt). */
export function backoffCeiling(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? BACKOFF_BASE_MS;
  const cap = options.capMs ?? BACKOFF_CAP_MS;
  // 2^attempt overflows to Infinity for large attempts; min() keeps the result finite.
  const exp = Math.max(0, Math.min(Math.floor(attempt), 64));
  return Math.min(cap, base * 2 ** exp);
}

/** Full jitter: a delay drawn uniformly from [0, ceiling(attempt)), in whole milliseconds. */
export function fullJitterDelay(attempt: number, random: RandomSource, options: BackoffOptions = {}): number {
  const r = random();
  // A misbehaving source must never push a delay outside [0, ceiling).
  const u = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1 - Number.EPSILON) : 0;
  return Math.floor(u * backoffCeiling(attempt, options));
}

/** Stateful convenience over fullJitterDelay: counts failures, resets on success, retries at once on demand. */
export class Backoff {
  /** Failures since the last success: the exponent of the next ceiling. */
  private attempt = 0;

  constructor(
    private readonly random: RandomSource,
    private readonly options: BackoffOptions = {},
  ) {}

  /** How many delays were handed out since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next attempt; each call raises the following ceiling. */
  next(): number {
    const delay = fullJitterDelay(this.attempt, this.random, this.options);
    this.attempt++;
    return delay;
  }

  /** A link came up: the next outage starts from the base again. */
  reset(): void {
    this.attempt = 0;
  }

  /** Interface up / address changed / woke from suspend: retry at once, and start the ladder afresh. */
  retryNow(): number {
    this.attempt = 0;
    return 0;
  }
}

/** A small seeded generator (mulberry32) for deterministic tests and `tether demo` runs. */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
