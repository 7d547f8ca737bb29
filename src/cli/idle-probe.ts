// Sacrificial idle connections: each waits its own time in silence, then pings once. Measures a path's idle limit.
import type { IdleProbeResult } from '../recovery/idle-learning.js';
import type { Link } from '../transport/link.js';
import { ping } from '../transport/ping.js';

/** How the probes run. */
export interface IdleProbeOptions {
  /** Delay between connection starts, to stay under sshd's MaxStartups. */
  staggerMs?: number;
  pingTimeoutMs?: number;
  /** Aborts the round: pending probes end as 'error'. */
  signal?: AbortSignal;
  /** Called as each probe ends. */
  onResult?: (r: IdleProbeResult) => void;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

/** Runs one round: a connection per wait, in parallel; resolves when all have ended. */
export async function runIdleProbes(open: () => Promise<Link>, waits: readonly number[], opts: IdleProbeOptions = {}): Promise<IdleProbeResult[]> {
  const stagger = opts.staggerMs ?? 200;
  const one = async (waitMs: number, i: number): Promise<IdleProbeResult> => {
    await sleep(i * stagger, opts.signal);
    if (opts.signal?.aborted) return { waitMs, outcome: 'error' };
    let link: Link;
    try {
      link = await open();
    } catch {
      return { waitMs, outcome: 'error' };
    }
    try {
      let died = false;
      link.onClose(() => {
        died = true;
      });
      await sleep(waitMs, opts.signal);
      if (opts.signal?.aborted) return { waitMs, outcome: 'error' };
      if (died) return { waitMs, outcome: 'died' };
      try {
        await ping(link, opts.pingTimeoutMs ?? 3000);
        return { waitMs, outcome: 'survived' };
      } catch {
        return { waitMs, outcome: 'died' };
      }
    } finally {
      link.dispose();
    }
  };
  return Promise.all(
    waits.map((w, i) =>
      one(w, i).then((r) => {
        opts.onResult?.(r);
        return r;
      }),
    ),
  );
}
