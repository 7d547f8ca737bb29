// Learning a path's idle limit: bounds from resets and survivals, and a one-round parallel measurement plan.

/** What is known about a path's idle limit L: lowerMs < L <= upperMs (upper undefined = no limit seen). */
export interface IdleBounds {
  /** The longest silence the path is known to have survived (0 = nothing known). */
  readonly lowerMs: number;
  /** The shortest silence known to have killed a connection. */
  readonly upperMs: number | undefined;
}

/** Tuning of the learning; defaults are safe for real paths. */
export interface IdleLearningOptions {
  /** Never ping more often than this when idle (a learned limit below 2× this is still pinged at it). */
  minKeepaliveMs?: number;
  /** Keep-alive as a fraction of the bound: 0.5 leaves room for a bound measured a little high. */
  factor?: number;
  /** Most sacrificial connections run at once (each is one idle ssh session). */
  maxProbes?: number;
  /** Wanted precision: converged when upper <= lower × (1 + tolerance); 0.4 lets 16 probes cover 5 s..685 s in one round. */
  tolerance?: number;
  /** Shortest wait worth measuring (below it the keep-alive floor applies anyway). */
  minWaitMs?: number;
  /** Longest wait measured when no connection has died yet. */
  maxWaitMs?: number;
}

/** Default floor of the idle keep-alive. */
export const MIN_KEEPALIVE_MS = 5_000;
const DEFAULTS: Required<IdleLearningOptions> = {
  minKeepaliveMs: MIN_KEEPALIVE_MS,
  factor: 0.5,
  maxProbes: 16,
  tolerance: 0.4,
  minWaitMs: 5_000,
  maxWaitMs: 900_000,
};

/** Nothing known yet. */
export const UNKNOWN_BOUNDS: IdleBounds = { lowerMs: 0, upperMs: undefined };

/** The keep-alive to persist for a bound: factor × bound, never below the floor. */
export function keepaliveForBound(boundMs: number, options: IdleLearningOptions = {}): number {
  const o = { ...DEFAULTS, ...options };
  return Math.max(o.minKeepaliveMs, Math.floor(boundMs * o.factor));
}

/** The keep-alive the bounds justify: from the upper bound when known, else from the lower (undefined = nothing known). */
export function keepaliveForBounds(bounds: IdleBounds, options: IdleLearningOptions = {}): number | undefined {
  if (bounds.upperMs !== undefined) return keepaliveForBound(bounds.upperMs, options);
  return bounds.lowerMs > 0 ? keepaliveForBound(bounds.lowerMs, options) : undefined;
}

/** An idle-timeout reset after `silenceMs` of silence: that silence is an upper bound. */
export function afterIdleReset(bounds: IdleBounds, silenceMs: number): IdleBounds {
  const upperMs = bounds.upperMs === undefined ? silenceMs : Math.min(bounds.upperMs, silenceMs);
  // A path that changed (a new, stricter firewall) can contradict an old lower bound: the reset wins.
  const lowerMs = bounds.lowerMs < upperMs ? bounds.lowerMs : 0;
  return { lowerMs, upperMs };
}

/** A silence of `silenceMs` that the link survived: a lower bound (ignored if it contradicts the upper). */
export function afterSurvivedSilence(bounds: IdleBounds, silenceMs: number): IdleBounds {
  if (bounds.upperMs !== undefined && silenceMs >= bounds.upperMs) return bounds;
  return { lowerMs: Math.max(bounds.lowerMs, silenceMs), upperMs: bounds.upperMs };
}

/** Whether the bounds are tight enough that another measurement would not change the keep-alive much. */
export function isConverged(bounds: IdleBounds, options: IdleLearningOptions = {}): boolean {
  const o = { ...DEFAULTS, ...options };
  if (bounds.upperMs === undefined) return bounds.lowerMs >= o.maxWaitMs;
  // Below twice the floor the keep-alive is the floor whatever the exact limit.
  if (bounds.upperMs <= 2 * o.minKeepaliveMs) return true;
  return bounds.upperMs <= Math.max(bounds.lowerMs, o.minWaitMs) * (1 + o.tolerance);
}

/** Best single figure for the limit (for `tether doctor`): the geometric middle of the bounds. */
export function idleLimitEstimate(bounds: IdleBounds): number | undefined {
  if (bounds.upperMs === undefined) return undefined;
  if (bounds.lowerMs <= 0) return bounds.upperMs;
  return Math.round(Math.sqrt(bounds.lowerMs * bounds.upperMs));
}

/**
 * The waits (ms, ascending) of K parallel sacrificial idle connections: each idles that long, then
 * sends one ping. Waits are spaced geometrically over (lower, upper) so that every gap has the same
 * ratio r; whatever L is, one round leaves upper/lower <= r. K is the fewest probes giving
 * r <= 1 + tolerance, at most maxProbes. An empty plan means the bounds are already converged.
 */
export function planIdleProbes(bounds: IdleBounds, options: IdleLearningOptions = {}): number[] {
  const o = { ...DEFAULTS, ...options };
  if (isConverged(bounds, o)) return [];
  const hi = bounds.upperMs ?? o.maxWaitMs;
  const proven = bounds.lowerMs >= o.minWaitMs;
  const lo = Math.max(bounds.lowerMs, o.minWaitMs);
  if (hi <= lo) return [];
  // Unproven lo is itself probed; a proven lower bound is not (one more gap for the same probes).
  const extraGap = proven ? 1 : 0;
  // Without a known upper bound the last probe waits the full maxWaitMs (one gap fewer).
  const lastGap = bounds.upperMs === undefined ? 0 : 1;
  // Plan a little under the tolerance so that rounding waits to 100 ms cannot break it.
  const target = 1 + o.tolerance * 0.9;
  const gapsNeeded = Math.ceil(Math.log(hi / lo) / Math.log(target));
  const k = Math.max(1, Math.min(o.maxProbes, gapsNeeded - extraGap - lastGap + 1));
  const gaps = k - 1 + extraGap + lastGap;
  const ratio = gaps > 0 ? (hi / lo) ** (1 / gaps) : 1;
  const waits: number[] = [];
  for (let i = 0; i < k; i++) {
    const w = Math.round((lo * ratio ** (i + extraGap)) / 100) * 100;
    if (w < hi || (bounds.upperMs === undefined && w <= hi)) {
      if (waits[waits.length - 1] !== w) waits.push(w);
    }
  }
  return waits;
}

/** How one sacrificial connection ended: its ping answered, the link dropped, or it never got going. */
export type IdleProbeOutcome = 'survived' | 'died' | 'error';

/** One sacrificial connection's result. */
export interface IdleProbeResult {
  readonly waitMs: number;
  readonly outcome: IdleProbeOutcome;
}

/** The outcome of a measurement round: new bounds, the keep-alive to persist, and whether results agreed. */
export interface IdleMeasurement {
  readonly bounds: IdleBounds;
  readonly keepaliveMs: number | undefined;
  readonly converged: boolean;
  /** False when a longer wait survived while a shorter one died (loss or a flapping path): the shorter wins. */
  readonly consistent: boolean;
}

/** Folds a round's results into the bounds: upper = shortest death, lower = longest survival below it. */
export function applyIdleProbeResults(
  bounds: IdleBounds,
  results: readonly IdleProbeResult[],
  options: IdleLearningOptions = {},
): IdleMeasurement {
  const died = results.filter((r) => r.outcome === 'died').map((r) => r.waitMs);
  const survived = results.filter((r) => r.outcome === 'survived').map((r) => r.waitMs);
  let next = bounds;
  if (died.length > 0) next = afterIdleReset(next, Math.min(...died));
  const upper = next.upperMs;
  const below = survived.filter((w) => upper === undefined || w < upper);
  if (below.length > 0) next = afterSurvivedSilence(next, Math.max(...below));
  const consistent = below.length === survived.length;
  return {
    bounds: next,
    keepaliveMs: keepaliveForBounds(next, options),
    converged: isConverged(next, options),
    consistent,
  };
}
