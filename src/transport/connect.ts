// connect(): one SSH link to the destination of an effective config, directly over TCP or through ProxyJump hops.
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TetherError } from '../common/errors.js';
import type { EffectiveConfig } from '../config/types.js';
import type { CredentialCache } from './credential-cache.js';
import type { HostKey } from './host-key.js';
import { handshake } from './handshake.js';
import type { Link } from './link.js';
import type { Prompter } from './prompter.js';
import { openSocket } from './socket.js';
import type { OpenedSocket } from './socket.js';

/** Everything connect() needs. */
export interface ConnectOptions {
  readonly config: EffectiveConfig;
  readonly prompter: Prompter;
  /** The key seen at the session's first connection: any other key fails with 'host-key-changed'. */
  readonly pinnedHostKey?: HostKey;
  /** Keys pinned for ProxyJump hops, by `hostname:port` (build it with hopPins(firstLink) for reconnects). */
  readonly pinnedHopKeys?: ReadonlyMap<string, HostKey>;
  /** The effective config of a ProxyJump hop spec (`[user@]host[:port]`), e.g. from `ssh -G`. Needed for -J. */
  readonly resolveHop?: (spec: string) => Promise<EffectiveConfig>;
  /** Limit for TCP connect + banner + key exchange; default ConnectTimeout (none when unset). */
  readonly timeoutMs?: number;
  /** Receives ssh2's debug lines. */
  readonly debug?: (line: string) => void;
  /** Remembers decrypted keys (and passwords, if it allows) so reconnects of this session do not ask again. */
  readonly credentials?: CredentialCache;
  /** Cancels the attempt at any stage (make-before-break losers, `~.` while connecting): kind 'link', ABORT_ERR. */
  readonly signal?: AbortSignal;
  /**
   * A socket already connected to the destination (a probe's, see tcpProbe's `keep`) and the bytes read from it: the
   * handshake runs on it instead of a new connect (direct connections only).
   */
  readonly opened?: { readonly socket: Socket; readonly head: Buffer; readonly address: string };
}

/** How deep ProxyJump may nest (a hop whose own config jumps again) before we call it a loop. */
const MAX_JUMP_DEPTH = 8;

/** Opens, verifies and authenticates one SSH link (through its ProxyJump hops, if any). */
export async function connect(opts: ConnectOptions): Promise<Link> {
  return connectAt(opts, opts.config, opts.pinnedHostKey, 0);
}

async function connectAt(opts: ConnectOptions, config: EffectiveConfig, pinned: HostKey | undefined, depth: number): Promise<Link> {
  if (config.proxyCommand !== undefined && config.proxyCommand !== 'none' && config.proxyJump.length === 0) {
    throw new TetherError('unsupported', `ProxyCommand is not supported by tether (${config.proxyCommand})`);
  }
  const timeoutMs = opts.timeoutMs ?? config.connectTimeoutMs;
  if (config.proxyJump.length === 0) {
    const { socket, address, tcpConnectMs } = depth === 0 && opts.opened ? reuse(opts.opened, config) : await openWithAttempts(config, timeoutMs, opts.signal);
    return handshake({
      stream: socket,
      config,
      prompter: opts.prompter,
      remoteAddress: address,
      tcpConnectMs,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(pinned ? { pinnedHostKey: pinned } : {}),
      ...(opts.debug ? { debug: opts.debug } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
    });
  }
  if (!opts.resolveHop) throw new TetherError('internal', 'ProxyJump needs a resolveHop callback');
  if (depth >= MAX_JUMP_DEPTH) throw new TetherError('config', `ProxyJump nests more than ${MAX_JUMP_DEPTH} deep (a loop?)`);
  // As ssh does for `-J a,b`: reach the last hop b through `-J a`, then open a channel from b to the destination.
  const specs = config.proxyJump;
  const lastSpec = specs[specs.length - 1] ?? '';
  const resolved = await opts.resolveHop(lastSpec);
  const hopConfig: EffectiveConfig = specs.length > 1 ? { ...resolved, proxyJump: specs.slice(0, -1) } : resolved;
  const hop = await connectAt(opts, hopConfig, opts.pinnedHopKeys?.get(hopKey(hopConfig)), depth + 1);
  let channel: Duplex;
  try {
    channel = await forwardChannel(hop, config.hostname, config.port);
  } catch (err) {
    hop.dispose();
    throw err;
  }
  try {
    return await handshake({
      stream: channel,
      config,
      prompter: opts.prompter,
      tcpConnectMs: 0,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(pinned ? { pinnedHostKey: pinned } : {}),
      hops: [...hop.hops, hop],
      ...(opts.debug ? { debug: opts.debug } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
    });
  } catch (err) {
    hop.dispose();
    throw err;
  }
}

/** A probe's socket made ready for the handshake: its banner read again first, ssh's socket options. */
function reuse(opened: NonNullable<ConnectOptions['opened']>, config: EffectiveConfig): OpenedSocket {
  const { socket, head, address } = opened;
  socket.setTimeout(0);
  socket.removeAllListeners('timeout');
  socket.removeAllListeners('error');
  if (head.length > 0) socket.unshift(head);
  socket.ref();
  socket.setNoDelay(true);
  socket.setKeepAlive(config.tcpKeepAlive);
  return { socket, address, tcpConnectMs: 0 };
}

function hopKey(config: EffectiveConfig): string {
  return `${config.hostname}:${config.port}`;
}

/** The host keys of a link's jump hops, to pin them on reconnect (see ConnectOptions.pinnedHopKeys). */
export function hopPins(link: Link): Map<string, HostKey> {
  return new Map(link.hops.map((hop) => [hopKey(hop.config), hop.hostKey]));
}

/** ConnectionAttempts: ssh retries a failed TCP connect once a second (set it to 1 when a reconnect loop owns retries). */
async function openWithAttempts(config: EffectiveConfig, timeoutMs: number | undefined, signal?: AbortSignal): Promise<OpenedSocket> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openSocket({
        host: config.hostname,
        port: config.port,
        family: config.addressFamily,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(config.bindAddress === undefined ? {} : { bindAddress: config.bindAddress }),
        keepAlive: config.tcpKeepAlive,
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (attempt >= config.connectionAttempts || !(err instanceof TetherError) || err.kind !== 'connect') throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** A direct-tcpip channel from a hop to host:port; a refusal reads like ssh's `channel 0: open failed`. */
function forwardChannel(hop: Link, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    hop.client.forwardOut('127.0.0.1', 0, host, port, (err, channel) => {
      if (err) {
        reject(
          new TetherError('connect', `channel 0: open failed: ${err.message}\nstdio forwarding failed\nssh: connect to host ${host} port ${port}: ${err.message}`, {
            cause: err,
            fatal: false,
          }),
        );
      } else resolve(channel);
    });
  });
}
