// `tether -N -L ...`: a tunnel that stays up (autossh's job): keep-alive pings, reconnect with backoff, forwards back.
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { TetherError, errorCode, messageOf } from '../common/errors.js';
import type { Disposable } from '../common/disposable.js';
import type { EffectiveConfig } from '../config/types.js';
import { Backoff } from '../recovery/backoff.js';
import { connect } from '../transport/connect.js';
import type { Link } from '../transport/link.js';
import { ping } from '../transport/ping.js';
import type { Prompter } from '../transport/prompter.js';
import { tcpProbe } from '../transport/probe.js';
import { startLocalListeners, startRemoteForwards } from './forwards.js';
import { CredentialCache } from '../transport/credential-cache.js';
import { hopPins } from '../transport/connect.js';
import { sshLogLines } from './ssh-log.js';

/** What a tunnel needs. */
export interface TunnelContext {
  config: EffectiveConfig;
  prompter: Prompter;
  resolveHop: (spec: string) => Promise<EffectiveConfig>;
  stderr: NodeJS.WritableStream;
  quiet: boolean;
  /** Idle keep-alive (ms) when ServerAliveInterval is unset. */
  keepaliveMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs until a signal or a fatal error (auth, host key, protocol); resolves to the exit status. */
export async function runTunnel(ctx: TunnelContext): Promise<number> {
  const { config } = ctx;
  const credentials = new CredentialCache(true);
  const say = (m: string): void => {
    if (!ctx.quiet) ctx.stderr.write(`tether: ${m}\n`);
  };
  let link: Link | undefined = await connect({ config, prompter: ctx.prompter, credentials, resolveHop: ctx.resolveHop });
  const pinned = link.hostKey;
  const pinnedHops = hopPins(link);
  const quietPrompter = { secret: () => Promise.resolve(undefined), confirm: () => Promise.resolve(undefined), info: say };
  let waiters: ((l: Link) => void)[] = [];
  const listeners = await startLocalListeners(config, () => link ?? new Promise<Link>((r) => (waiters = [...waiters, r])), ctx.prompter);
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = (): void => {
    stopped = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const backoff = new Backoff(() => randomInt(0, 2 ** 32) / 2 ** 32);
  const interval = config.serverAliveInterval > 0 ? config.serverAliveInterval * 1000 : ctx.keepaliveMs;
  const maxMissed = config.serverAliveInterval > 0 ? Math.max(1, config.serverAliveCountMax) : 3;
  try {
    while (!stopped && link) {
      const current: Link = link;
      const forwards: Disposable = await startRemoteForwards(config, current, ctx.prompter);
      for (const w of waiters.splice(0)) w(current);
      const why = await watch(current, interval, maxMissed, () => stopped, (fn) => (wake = fn));
      forwards.dispose();
      link = undefined;
      current.dispose();
      if (stopped) break;
      say(`link to ${config.host} lost (${why}); reconnecting`);
      const downAt = performance.now();
      for (;;) {
        if (stopped) break;
        const probe = await tcpProbe(config.hostname, config.port, 1000);
        if (probe.outcome !== 'open') {
          await sleep(Math.min(1000, backoff.next()));
          continue;
        }
        try {
          link = await connect({
            config: { ...config, connectionAttempts: 1 },
            prompter: quietPrompter,
            credentials,
            pinnedHostKey: pinned,
            pinnedHopKeys: pinnedHops,
            resolveHop: ctx.resolveHop,
            timeoutMs: 10_000,
          });
          backoff.reset();
          say(`link to ${config.host} back after ${((performance.now() - downAt) / 1000).toFixed(1)} s; forwards restored`);
          break;
        } catch (err) {
          if (err instanceof TetherError && err.fatal) {
            ctx.stderr.write(sshLogLines(err.message));
            return 255;
          }
          await sleep(backoff.next());
        }
      }
    }
    return 255;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    listeners.dispose();
    link?.dispose();
  }
}

/** Pings the link every `interval` ms; resolves with why it died (closed, or `maxMissed` pings unanswered). */
async function watch(link: Link, interval: number, maxMissed: number, stopped: () => boolean, setWake: (fn: () => void) => void): Promise<string> {
  let closed: string | undefined;
  let wakeNow: (() => void) | undefined;
  link.onClose((err) => {
    closed = err ? `${errorCode(err) ?? err.kind}: ${messageOf(err)}` : 'closed';
    wakeNow?.();
  });
  let missed = 0;
  while (!stopped() && closed === undefined) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, interval);
      wakeNow = () => {
        clearTimeout(t);
        resolve();
      };
      setWake(wakeNow);
    });
    if (stopped() || closed !== undefined) break;
    try {
      await ping(link, Math.min(interval, 10_000));
      missed = 0;
    } catch {
      missed++;
      if (missed >= maxMissed) return `${missed} keep-alives unanswered`;
    }
  }
  return closed ?? 'stopped';
}
