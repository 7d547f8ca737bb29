// Wires --idle-probe to real links (no keep-alives of any kind) and stores what it learned for the host.
import { performance } from 'node:perf_hooks';
import { hostKey, openHostState } from '../../config/host-state.js';
import type { EffectiveConfig } from '../../config/types.js';
import { connect } from '../../transport/connect.js';
import type { CredentialCache } from '../../transport/credential-cache.js';
import type { Prompter } from '../../transport/prompter.js';
import { measureIdleLimit, probeLinkOf } from '../../heal/idle-probe.js';
import type { ProbeLink } from '../../heal/idle-probe.js';
import { idleRoundEndLine, idleRoundStartLine } from './step-lines.js';
import type { IdleResult, StepLine } from './types.js';

/** What the idle measurement needs from doctor. */
export interface IdleRunOptions {
  readonly config: EffectiveConfig;
  readonly prompter: Prompter;
  readonly credentials: CredentialCache;
  readonly resolveHop?: (spec: string) => Promise<EffectiveConfig>;
  readonly maxWaitMs: number;
  readonly maxTimeMs: number;
  /** Where the learned state is kept (undefined: not stored). */
  readonly stateDir?: string;
  readonly emit: (line: StepLine) => void;
}

/** Precision asked of the measurement: the limit within 20 %. */
const TOLERANCE = 0.2;

/** Measures the idle limit with sacrificial connections, then stores the bounds and keep-alive for the host. */
export async function runIdleProbe(o: IdleRunOptions): Promise<IdleResult> {
  // Silence must really be silence: no ssh keep-alives (the handshake sets ssh2's to 0) and no TCP keep-alives.
  const quiet: EffectiveConfig = { ...o.config, tcpKeepAlive: false, serverAliveInterval: 0 };
  const open = async (): Promise<ProbeLink> => {
    const link = await connect({
      config: quiet,
      prompter: o.prompter,
      credentials: o.credentials,
      ...(o.resolveHop ? { resolveHop: o.resolveHop } : {}),
      timeoutMs: 15_000,
    });
    return probeLinkOf(link);
  };
  const result = await measureIdleLimit(
    {
      open,
      now: () => performance.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
      onRound: (e) => o.emit('waits' in e ? idleRoundStartLine(e.round, e.waits) : idleRoundEndLine(e.round, e.bounds, e.results)),
    },
    { maxWaitMs: o.maxWaitMs, budgetMs: o.maxTimeMs, tolerance: TOLERANCE, staggerMs: 200, pingTimeoutMs: 3000 },
  );
  if (o.stateDir !== undefined && result.rounds > 0) {
    try {
      const store = await openHostState(o.stateDir);
      const b = result.bounds;
      store.update(hostKey(o.config.user, o.config.hostname, o.config.port), {
        ...(b.upperMs === undefined ? {} : { idleBoundMs: b.upperMs }),
        ...(b.lowerMs > 0 ? { idleSurvivedMs: b.lowerMs } : {}),
        ...(result.keepaliveMs === undefined ? {} : { keepaliveMs: result.keepaliveMs }),
      });
      o.emit({ step: 'idle-probe', mark: 'info', text: `stored for ${o.config.hostname} in ${store.path}` });
    } catch (err) {
      o.emit({ step: 'idle-probe', mark: 'warn', text: `could not store the result: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return result;
}
