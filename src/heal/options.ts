// What a healing session is built from: the first link, the config, the terminal UI and main's callbacks.
import type { Disposable } from '../common/disposable.js';
import type { EffectiveConfig } from '../config/types.js';
import type { SessionEvents } from '../events/port.js';
import type { TerminalUI } from '../terminal/ui.js';
import type { CredentialCache } from '../transport/credential-cache.js';
import type { Link } from '../transport/link.js';
import type { SessionClock } from './clock.js';
import type { RecorderDeps } from './reset-recorder.js';

/** Everything a healing session needs, built by main. */
export interface HealingOptions {
  config: EffectiveConfig;
  first: Link;
  /** Keys decrypted and passwords typed at the first connection, replayed on reconnects (memory only). */
  credentials: CredentialCache;
  resolveHop: (spec: string) => Promise<EffectiveConfig>;
  ui: TerminalUI;
  uiStart: () => void;
  session: string;
  useTmux: boolean;
  term: string;
  env: Record<string, string>;
  recorder: RecorderDeps;
  learned: { keepaliveMs?: number; idleBoundMs?: number; srttMs?: number };
  /** tether settings: idle keep-alive before anything is learned, and the held-input bound. */
  defaultKeepaliveMs: number;
  heldInputBytes: number;
  clock: SessionClock;
  random: () => number;
  /** Re-requests -R forwards on a new link; disposed with that link. */
  startRemoteForwards: (link: Link) => Promise<Disposable>;
  /** The current link, for -L/-D listeners. */
  setCurrentLink: (link: Link | undefined) => void;
  stderr: NodeJS.WritableStream;
  quiet: boolean;
  /** The event port: the session publishes, the outlets (live sessions, sinks) subscribe. */
  events: SessionEvents;
  /** Trace lines (TETHER_DEBUG_LOG); a no-op normally. */
  debug: (line: string) => void;
  /** The remote's output reached the terminal (bytes). */
  onOutput?: (bytes: number) => void;
}
