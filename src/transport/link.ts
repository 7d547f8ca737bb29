// One established, authenticated SSH connection: the ssh2 Client, what was learned while connecting, and one typed
// close notification carrying why it ended (first reason wins). Disposing it closes it and every jump hop under it.
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { Client } from 'ssh2';
import type { Disposable } from '../common/disposable.js';
import type { TetherError } from '../common/errors.js';
import type { EffectiveConfig } from '../config/types.js';
import type { HostKey } from './host-key.js';
import { linkClosedError } from './link-errors.js';

/** How long each phase of the connection took, in milliseconds. */
export interface LinkTiming {
  /** Name resolution + TCP handshake (0 through a jump channel). */
  readonly tcpConnectMs: number;
  /** From the socket being ready to key exchange done (banner + kex, host-key check included). */
  readonly handshakeMs: number;
  /** From key exchange done to authenticated (prompts included). */
  readonly authMs: number;
}

/** Everything connect() learned, handed to the Link. */
export interface LinkInit {
  readonly client: Client;
  readonly stream: Duplex;
  readonly config: EffectiveConfig;
  readonly hostKey: HostKey;
  readonly remoteIdent: string;
  readonly remoteAddress: string | undefined;
  readonly timing: LinkTiming;
  readonly unsafe: boolean;
  readonly hops: readonly Link[];
  /** The peer as ssh names it in messages (`IP port P`). */
  readonly peer: string;
}

/** Called once when the link ends: the reason, or undefined when we closed it ourselves (dispose). */
export type CloseListener = (error: TetherError | undefined) => void;

/** An authenticated SSH connection. */
export class Link implements Disposable {
  /** The ssh2 client, for channels and forwards. */
  readonly client: Client;
  readonly config: EffectiveConfig;
  /** The server's host key (pin it for reconnects). */
  readonly hostKey: HostKey;
  /** The server's identification line, e.g. `SSH-2.0-OpenSSH_9.2p1 Debian-2`. */
  readonly remoteIdent: string;
  /** The IP address connected to; undefined through a ProxyJump channel. */
  readonly remoteAddress: string | undefined;
  readonly timing: LinkTiming;
  /** True when a changed/revoked key was accepted under StrictHostKeyChecking no: no forwarding on this link. */
  readonly unsafe: boolean;
  /** The jump hosts under this link, outermost first. */
  readonly hops: readonly Link[];
  /** `IP port P`, as ssh's messages name the peer. */
  readonly peer: string;
  /** performance.now() when bytes last arrived from the server (the silence before a failure is evidence). */
  private lastHeard = performance.now();
  /** The first failure seen; the close reason. */
  private firstError: Error | undefined;
  /** An upstream hop's failure, which explains this link's end better than our own EOF. */
  private upstreamError: TetherError | undefined;
  /** Set once closed; the reason given to listeners. */
  private closeReason: { error: TetherError | undefined } | undefined;
  /** Listeners waiting for the close. */
  private readonly listeners = new Set<CloseListener>();
  /** Listeners told of every inbound chunk (liveness: any bytes from the server prove the path). */
  private readonly receiveListeners = new Set<(bytes: number) => void>();
  /** Set by dispose(): the close is ours, not a failure. */
  private disposing = false;
  private readonly stream: Duplex;

  constructor(init: LinkInit) {
    this.client = init.client;
    this.stream = init.stream;
    this.config = init.config;
    this.hostKey = init.hostKey;
    this.remoteIdent = init.remoteIdent;
    this.remoteAddress = init.remoteAddress;
    this.timing = init.timing;
    this.unsafe = init.unsafe;
    this.hops = init.hops;
    this.peer = init.peer;
    this.stream.on('data', (chunk: Buffer) => {
      this.lastHeard = performance.now();
      for (const l of this.receiveListeners) l(chunk.length);
    });
    this.client.on('error', (err: Error & { level?: string }) => {
      if (err.level === 'agent' || /authentication/i.test(err.level ?? '')) return;
      this.firstError ??= err;
    });
    this.client.on('close', () => this.finish());
    for (const hop of this.hops) {
      hop.onClose((err) => {
        this.upstreamError ??= err;
        this.client.destroy();
      });
    }
  }

  /** Whether the link has ended. */
  get closed(): boolean {
    return this.closeReason !== undefined;
  }

  /** Why the link ended (undefined while open or after dispose). */
  get closeError(): TetherError | undefined {
    return this.closeReason?.error;
  }

  /** performance.now() of the last bytes received from the server. */
  get lastHeardAt(): number {
    return this.lastHeard;
  }

  /** Calls `listener` once when the link ends (at once if it already has). */
  onClose(listener: CloseListener): Disposable {
    if (this.closeReason) {
      const { error } = this.closeReason;
      queueMicrotask(() => listener(error));
      return { dispose: () => undefined };
    }
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Calls `listener` with the size of every chunk received from the server (encrypted bytes, keep-alive replies
   * included), until disposed or the link closes. */
  onReceive(listener: (bytes: number) => void): Disposable {
    this.receiveListeners.add(listener);
    return { dispose: () => this.receiveListeners.delete(listener) };
  }

  /** Closes the link (a polite SSH disconnect, then the socket) and every hop under it. */
  dispose(): void {
    if (!this.closeReason) {
      this.disposing = true;
      this.client.end();
      this.client.destroy();
      this.stream.destroy();
      this.finish();
    }
    for (const hop of [...this.hops].reverse()) hop.dispose();
  }

  private finish(): void {
    if (this.closeReason) return;
    const error = this.disposing ? undefined : (this.upstreamError ?? linkClosedError(this.firstError, this.peer));
    this.closeReason = { error };
    this.receiveListeners.clear();
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const l of listeners) l(error);
    for (const hop of [...this.hops].reverse()) hop.dispose();
  }
}
