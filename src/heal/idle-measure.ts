// After an idle-timeout in a healing session: the real limit, measured at once with sacrificial idle connections, then learned.
import { performance } from 'node:perf_hooks';
import { messageOf } from '../common/errors.js';
import { MIN_KEEPALIVE_MS } from '../recovery/idle-learning.js';
import type { IdleBounds } from '../recovery/idle-learning.js';
import { connect } from '../transport/connect.js';
import type { ConnectOptions } from '../transport/connect.js';
import type { Link } from '../transport/link.js';
import { measureIdleLimit as measureRounds, probeLinkOf } from './idle-probe.js';
import type { HealingOptions } from './options.js';
import type { Say } from './news.js';

/** What a measurement needs. */
export interface IdleMeasureInput {
  /** Opens one sacrificial connection (no keep-alives of any kind on it). */
  open: () => Promise<Link>;
  /** What is known: the silence that killed the link is the upper bound. */
  bounds: IdleBounds;
  signal: AbortSignal;
  debug: (line: string) => void;
}

/** The measured bounds, the keep-alive to use (0.5 × limit) and a line for the status bar. */
export interface IdleMeasureResult {
  bounds: IdleBounds;
  keepaliveMs: number;
  summary: string;
}

/** At most 8 connections a round and a few minutes in all; undefined when aborted (the session ended). */
export async function measureIdleLimit(input: IdleMeasureInput): Promise<IdleMeasureResult | undefined> {
  const { signal } = input;
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, Math.max(0, ms));
      signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  const upper = input.bounds.upperMs ?? 900_000;
  const r = await measureRounds(
    {
      open: async () => {
        if (signal.aborted) throw new Error('aborted');
        return probeLinkOf(await input.open());
      },
      now: () => performance.now(),
      sleep,
      onRound: (e) => input.debug(`idle probes round ${e.round}: ${JSON.stringify('waits' in e ? e.waits : e.bounds)}`),
    },
    { maxWaitMs: upper, budgetMs: 3 * upper + 60_000, tolerance: 0.4, staggerMs: 200, pingTimeoutMs: 3000, maxProbes: 8, initialBounds: input.bounds },
  );
  if (signal.aborted) return undefined;
  const keepaliveMs = r.keepaliveMs ?? MIN_KEEPALIVE_MS;
  const secs = (ms: number): string => `${Math.round(ms / 1000)} s`;
  const hi = r.bounds.upperMs === undefined ? '?' : secs(r.bounds.upperMs);
  return { bounds: r.bounds, keepaliveMs, summary: `idle limit of the path: ${secs(r.bounds.lowerMs)}–${hi}; keep-alive now ${secs(keepaliveMs)}` };
}

/** What the session's measurement needs: where to connect, what was learned, and how to apply a result. */
export interface IdleMeasurerDeps extends Pick<HealingOptions, 'config' | 'learned' | 'recorder' | 'debug'> {
  /** The reconnect options (pinned keys, remembered credentials). */
  connectOptions: () => ConnectOptions;
  /** A new liveness estimator with the learned keep-alive as it is now. */
  renewLiveness: () => void;
  pushStatus: () => void;
  /** Tells the user (through the port). */
  say: Say;
}

/** One measurement at a time per session; its result is learned, persisted and shown. */
export class IdleMeasurer {
  /** A running idle-limit measurement (aborted at exit). */
  private measuring: AbortController | undefined;

  constructor(private readonly d: IdleMeasurerDeps) {}

  /** After an idle-timeout: measure the real limit at once, pinging at the floor meanwhile. */
  async start(upperMs: number): Promise<void> {
    const { d } = this;
    if (this.measuring) return;
    this.measuring = new AbortController();
    d.learned.keepaliveMs = MIN_KEEPALIVE_MS;
    d.renewLiveness();
    try {
      const known = d.recorder.hostState?.get(d.recorder.hostStateKey) ?? {};
      const r = await measureIdleLimit({
        open: () => connect({ ...d.connectOptions(), config: { ...d.config, connectionAttempts: 1, tcpKeepAlive: false } }),
        bounds: { lowerMs: Math.min(known.idleSurvivedMs ?? 0, upperMs - 1), upperMs },
        signal: this.measuring.signal,
        debug: d.debug,
      });
      if (!r) return;
      d.learned.keepaliveMs = r.keepaliveMs;
      if (r.bounds.upperMs !== undefined) d.learned.idleBoundMs = r.bounds.upperMs;
      d.recorder.hostState?.update(d.recorder.hostStateKey, {
        ...(r.bounds.upperMs === undefined ? {} : { idleBoundMs: r.bounds.upperMs }),
        idleSurvivedMs: r.bounds.lowerMs,
        keepaliveMs: r.keepaliveMs,
      });
      d.renewLiveness();
      d.say(r.summary, 'info', 8000);
      d.pushStatus();
    } catch (err) {
      d.debug(`idle probes failed: ${messageOf(err)}`);
    } finally {
      this.measuring = undefined;
    }
  }

  /** Ends a running measurement (the session ended). */
  abort(): void {
    this.measuring?.abort();
  }
}
