// SSH over an already open stream (a TCP socket or a jump channel): ssh2's Client with our algorithms, host-key check
// and authenticator; resolves to a Link once authenticated, or rejects with a TetherError of the right kind.
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { Client } from './ssh2-client.js';
import { TetherError, messageOf } from '../common/errors.js';
import type { EffectiveConfig } from '../config/types.js';
import { algorithmsFor } from './algorithms.js';
import { makeAuthenticator } from './auth.js';
import type { CredentialCache } from './credential-cache.js';
import { checkHostKey, loadKnownHosts } from './host-key-check.js';
import type { HostKey } from './host-key.js';
import { hostKeyFromBlob } from './host-key.js';
import { knownHostsName, knownKeyTypes } from './known-hosts.js';
import { Link } from './link.js';
import { abortedError, beforeBannerError, handshakeTimeoutError, linkClosedError, peerName } from './link-errors.js';
import { NegotiationLog } from './negotiation.js';
import type { Prompter } from './prompter.js';
import { remoteIdent } from './ssh2-internals.js';

/** Inputs of one SSH handshake over a stream. */
export interface HandshakeOptions {
  readonly stream: Duplex;
  readonly config: EffectiveConfig;
  readonly prompter: Prompter;
  readonly pinnedHostKey?: HostKey;
  /** The peer's IP (undefined through a jump channel). */
  readonly remoteAddress?: string;
  readonly tcpConnectMs: number;
  /** Limit for banner + key exchange (not for prompts); undefined = none. */
  readonly timeoutMs?: number;
  readonly hops?: readonly Link[];
  /** Receives ssh2's debug lines (for `-v`). */
  readonly debug?: (line: string) => void;
  /** Cancels the handshake (the stream is destroyed). */
  readonly signal?: AbortSignal;
  /** Decrypted keys (and, if allowed, passwords) remembered across this process's connections. */
  readonly credentials?: CredentialCache;
}

function asTether(err: unknown): TetherError {
  return err instanceof TetherError ? err : new TetherError('internal', messageOf(err), { cause: err });
}

/** Runs the SSH handshake and authentication over `opts.stream`. */
export function handshake(opts: HandshakeOptions): Promise<Link> {
  const { config, prompter, stream } = opts;
  const peer = peerName(opts.remoteAddress, config.hostname, config.port);
  const client = new Client();
  const negotiation = new NegotiationLog();
  const start = performance.now();
  let kexDoneAt: number | undefined;
  let hostKey: HostKey | undefined;
  /** The host key blob accepted in the first key exchange; a re-key must offer the same. */
  let verifiedBlob: Buffer | undefined;
  let hostKeyError: TetherError | undefined;
  let unsafe = false;
  const auth = makeAuthenticator(config, prompter, () => unsafe, opts.credentials);

  return new Promise<Link>((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => fail(abortedError(opts.signal as AbortSignal));
    const fail = (err: TetherError): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
      client.removeAllListeners('ready');
      client.destroy();
      stream.destroy();
      reject(err);
    };
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => fail(handshakeTimeoutError(peer, remoteIdent(client) !== undefined)), opts.timeoutMs);

    client.on('error', (err: Error & { level?: string }) => {
      if (settled || err.level === 'agent') return;
      if (err.level === 'client-authentication') {
        if (/All configured authentication methods failed/.test(err.message)) fail(auth.failure(err));
        return; // a key that could not sign: ssh2 goes on with the next one
      }
      if (hostKeyError) return fail(hostKeyError);
      const negotiationError = negotiation.failure(err, opts.remoteAddress ?? config.hostname, config.port);
      if (negotiationError) return fail(negotiationError);
      if (remoteIdent(client) === undefined) return fail(beforeBannerError(err.message.includes('before handshake') ? undefined : err, peer));
      if (typeof (err as { code?: unknown }).code === 'number' && kexDoneAt !== undefined) {
        // A DISCONNECT during authentication ("Too many authentication failures").
        const reason = String((err as { code?: unknown }).code);
        return fail(new TetherError('auth', `Received disconnect from ${peer}:${reason}: ${err.message}\nDisconnected from ${peer}`, { cause: err }));
      }
      fail(err.level === 'handshake' || err.level === 'protocol' ? new TetherError('protocol', `${err.message} (${peer})`, { cause: err }) : linkClosedError(err, peer));
    });
    client.on('close', () => {
      if (hostKeyError) return fail(hostKeyError);
      fail(remoteIdent(client) === undefined ? beforeBannerError(undefined, peer) : linkClosedError(undefined, peer));
    });
    client.on('banner', (message: string) => {
      // ssh shows the server's pre-login banner unless LogLevel is below INFO.
      if (/^(quiet|fatal|error)$/i.test(config.logLevel)) return;
      if (prompter.banner) prompter.banner(message);
      else prompter.info(message.replace(/[\r\n]+$/, ''));
    });
    client.on('handshake', () => {
      kexDoneAt ??= performance.now();
    });
    if (opts.signal?.aborted) return fail(abortedError(opts.signal));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    client.on('ready', () => {
      if (settled) return;
      if (!hostKey) return fail(new TetherError('internal', 'authenticated without a host key check'));
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
      auth.succeeded();
      const readyAt = performance.now();
      const kexAt = kexDoneAt ?? readyAt;
      resolve(
        new Link({
          client,
          stream,
          config,
          hostKey,
          remoteIdent: remoteIdent(client) ?? '',
          remoteAddress: opts.remoteAddress,
          timing: { tcpConnectMs: opts.tcpConnectMs, handshakeMs: kexAt - start, authMs: readyAt - kexAt },
          unsafe,
          hops: opts.hops ?? [],
          peer,
        }),
      );
    });

    const known = loadKnownHosts(config);
    const types = knownKeyTypes(known, knownHostsName(config.hostname, config.port, config.hostKeyAlias));
    if (opts.pinnedHostKey) types.unshift(opts.pinnedHostKey.type);
    try {
      client.connect({
        sock: stream,
        username: config.user,
        readyTimeout: 0,
        keepaliveInterval: 0,
        algorithms: algorithmsFor(config, types),
        ...(config.forwardAgent && config.identityAgent ? { agent: config.identityAgent } : {}),
        authHandler: auth.handler,
        debug: (line: string) => {
          negotiation.feed(line);
          opts.debug?.(line);
        },
        hostVerifier: (blob: Buffer, verify: (ok: boolean) => void) => {
          if (verifiedBlob !== undefined) {
            // A re-key: answered at once. While an answer is pending, ssh2 takes the server's NEWKEYS and sends
            // packets (a keep-alive, a window adjust) unframed under the old keys, and sshd drops the link.
            verify(blob.equals(verifiedBlob));
            return;
          }
          clearTimeout(timer); // the server answered; what follows may wait on a person
          hostKey = hostKeyFromBlob(blob);
          checkHostKey({
            config,
            prompter,
            key: hostKey,
            ...(opts.remoteAddress === undefined ? {} : { remoteIp: opts.remoteAddress }),
            ...(opts.pinnedHostKey ? { pinned: opts.pinnedHostKey } : {}),
          }).then(
            (result) => {
              unsafe = result.unsafe;
              verifiedBlob = blob;
              verify(true);
            },
            (err: unknown) => {
              hostKeyError = asTether(err);
              verify(false);
            },
          );
        },
      });
    } catch (err) {
      fail(asTether(err));
    }
  });
}
