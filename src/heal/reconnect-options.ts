// What every reconnect (and sacrificial probe) connects with: pinned keys, remembered credentials, no prompts.
import { hopPins } from '../transport/connect.js';
import type { ConnectOptions } from '../transport/connect.js';
import type { Say } from './news.js';
import type { HealingOptions } from './options.js';

/** A reconnect attempt's limit for TCP + handshake + auth. */
const ATTEMPT_TIMEOUT_MS = 10_000;

/** Pins the host keys of the first connection (the destination's and its ProxyJump hops') and returns the builder. */
export function reconnectOptions(o: Pick<HealingOptions, 'config' | 'credentials' | 'first' | 'resolveHop'>, say: Say): () => ConnectOptions {
  /** Host keys of the ProxyJump hops at the first connection: pinned like the destination's. */
  const hopKeys = hopPins(o.first);
  return () => ({
    // retries belong to the recovery loop, not to ConnectionAttempts
    config: { ...o.config, connectionAttempts: 1 },
    // never ask while the terminal is raw: what the first connection learned is all there is
    prompter: {
      secret: () => Promise.resolve(undefined),
      confirm: () => Promise.resolve(undefined),
      info: (line) => say(line.split('\n')[0] ?? line, 'info', 8000),
    },
    credentials: o.credentials,
    pinnedHostKey: o.first.hostKey,
    pinnedHopKeys: hopKeys,
    resolveHop: o.resolveHop,
    timeoutMs: ATTEMPT_TIMEOUT_MS,
  });
}
