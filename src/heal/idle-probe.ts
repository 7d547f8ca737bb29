// The path's idle limit (`tether doctor --idle-probe`, and a healing session after an idle-timeout), measured with sacrificial idle connections in rounds: each connects,
// stays silent for its own wait, then sends one ping; survived or died narrows the bounds (recovery/idle-learning).
import { applyIdleProbeResults, idleLimitEstimate, keepaliveForBounds, planIdleProbes, UNKNOWN_BOUNDS } from '../recovery/idle-learning.js';
import type { IdleBounds, IdleLearningOptions, IdleProbeResult } from '../recovery/idle-learning.js';
import type { Link } from '../transport/link.js';
import { ping } from '../transport/ping.js';

/** The outcome of `--idle-probe`. */
export interface IdleResult {
  readonly bounds: IdleBounds;
  /** Best single figure for the limit (undefined: nothing died up to the longest wait). */
  readonly estimateMs?: number;
  readonly keepaliveMs?: number;
  readonly rounds: number;
  readonly converged: boolean;
  /** False when a longer wait survived a shorter one that died (loss, a flapping path). */
  readonly consistent: boolean;
  /** The longest wait measured. */
  readonly maxWaitMs: number;
  /** Probes that could not even connect. */
  readonly errors: number;
  /** The server sent data during the waits (sshd ClientAliveInterval): the silences were shorter than planned. */
  readonly serverTraffic: boolean;
}

/** One sacrificial connection, as the measurement sees it. */
export interface ProbeLink {
  /** Monotonic ms when bytes last came from the server: the silence starts there. */
  readonly lastHeardAt: number;
  /** Whether the link already ended (then it died during the wait). */
  readonly closed: boolean;
  /** One keep-alive round trip; rejects when the link is dead. */
  ping(timeoutMs: number): Promise<unknown>;
  dispose(): void;
}

/** What the measurement needs from the world (injected, so it is tested with fake links and clocks). */
export interface IdleProbeDeps {
  /** Opens and authenticates one connection with no keep-alives of any kind. */
  open(): Promise<ProbeLink>;
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Told before each round (its waits) and after it (the new bounds). */
  onRound?(event: { round: number; waits: readonly number[] } | { round: number; bounds: IdleBounds; results: readonly IdleProbeResult[] }): void;
}

/** Limits of the measurement. */
export interface IdleProbeOptions {
  /** Longest single wait (no death up to it = no limit found). */
  readonly maxWaitMs: number;
  /** Total time allowed; a round that could not finish within it is not started. */
  readonly budgetMs: number;
  /** Wanted precision (upper <= lower × (1 + tolerance)). */
  readonly tolerance: number;
  /** Delay between connection starts (keeps unauthenticated connections under sshd's MaxStartups). */
  readonly staggerMs: number;
  /** How long the one ping after the wait may take. */
  readonly pingTimeoutMs: number;
  /** Shortest wait worth measuring. */
  readonly minWaitMs?: number;
  readonly maxProbes?: number;
  /** What is already known (a healing session knows the silence that killed its link); default nothing. */
  readonly initialBounds?: IdleBounds;
}

/** One sacrificial connection: connect after `delayMs`, idle `waitMs` from its last received byte, ping once. */
async function probeOnce(deps: IdleProbeDeps, o: IdleProbeOptions, waitMs: number, delayMs: number): Promise<IdleProbeResult> {
  await deps.sleep(delayMs);
  let link: ProbeLink;
  try {
    link = await deps.open();
  } catch {
    return { waitMs, outcome: 'error' };
  }
  try {
    // The silence starts at the last byte of the login; the deadline is fixed (server keep-alives do not move it).
    const deadline = link.lastHeardAt + waitMs;
    // Sleep in steps so a link that dies during the wait is noticed (its silence is then the upper bound).
    for (;;) {
      const left = deadline - deps.now();
      if (link.closed) {
        const silence = deps.now() - link.lastHeardAt;
        return silence < 1000 ? { waitMs, outcome: 'error' } : { waitMs: Math.round(silence), outcome: 'died' };
      }
      if (left <= 0) break;
      await deps.sleep(Math.min(left, 1000));
    }
    // The silence actually kept (a late timer on a loaded machine makes it longer than planned; server traffic
    // during the wait, e.g. sshd's ClientAliveInterval, makes it shorter): that is what the path saw.
    const silence = Math.round((deps.now() - link.lastHeardAt) / 100) * 100;
    try {
      await link.ping(o.pingTimeoutMs);
      return { waitMs: silence, outcome: 'survived' };
    } catch {
      return { waitMs: silence, outcome: 'died' };
    }
  } finally {
    link.dispose();
  }
}

/** Runs rounds until the bounds converge, the plan is empty, or the budget would be exceeded. */
export async function measureIdleLimit(deps: IdleProbeDeps, o: IdleProbeOptions): Promise<IdleResult> {
  const learning: IdleLearningOptions = {
    tolerance: o.tolerance,
    maxWaitMs: o.maxWaitMs,
    ...(o.minWaitMs === undefined ? {} : { minWaitMs: o.minWaitMs }),
    ...(o.maxProbes === undefined ? {} : { maxProbes: o.maxProbes }),
  };
  const start = deps.now();
  let bounds: IdleBounds = o.initialBounds ?? UNKNOWN_BOUNDS;
  let rounds = 0;
  let converged = false;
  let consistent = true;
  let errors = 0;
  let serverTraffic = false;
  for (;;) {
    const waits = planIdleProbes(bounds, learning);
    if (waits.length === 0) {
      converged = true;
      break;
    }
    const longest = Math.max(...waits) + waits.length * o.staggerMs + o.pingTimeoutMs + 5000;
    if (deps.now() - start + longest > o.budgetMs) break;
    rounds++;
    deps.onRound?.({ round: rounds, waits });
    const results = await Promise.all(waits.map((w, i) => probeOnce(deps, o, w, i * o.staggerMs)));
    errors += results.filter((r) => r.outcome === 'error').length;
    // A silence well short of its plan means the server talked during the wait (sshd's ClientAliveInterval): the
    // path is kept busy, so longer waits cannot be measured from here.
    const busy = results.some((r, i) => r.outcome === 'survived' && r.waitMs < 0.8 * (waits[i] ?? 0));
    serverTraffic ||= busy;
    if (results.every((r) => r.outcome === 'error')) break; // nothing connects: no measurement possible
    const m = applyIdleProbeResults(bounds, results, learning);
    bounds = m.bounds;
    consistent &&= m.consistent;
    deps.onRound?.({ round: rounds, bounds, results });
    if (m.converged || busy) {
      converged = m.converged;
      break;
    }
  }
  const estimateMs = idleLimitEstimate(bounds);
  const keepaliveMs = keepaliveForBounds(bounds, learning);
  return {
    bounds,
    ...(estimateMs === undefined ? {} : { estimateMs }),
    ...(keepaliveMs === undefined ? {} : { keepaliveMs }),
    rounds,
    converged,
    consistent,
    maxWaitMs: o.maxWaitMs,
    errors,
    serverTraffic,
  };
}

/** A transport Link as a ProbeLink (doctor's --idle-probe and the healing session both measure with real links). */
export function probeLinkOf(link: Link): ProbeLink {
  return {
    get lastHeardAt() {
      return link.lastHeardAt;
    },
    get closed() {
      return link.closed;
    },
    ping: (timeoutMs) => ping(link, timeoutMs),
    dispose: () => link.dispose(),
  };
}
