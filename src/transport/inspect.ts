// `tether doctor`'s look at a server without logging in: banner, negotiated algorithms, host key (and what
// known_hosts says of it), and the authentication methods offered. Only the user name is sent (method "none").
import type { NegotiatedAlgorithms } from 'ssh2';
import ssh2 from 'ssh2';
import { performance } from 'node:perf_hooks';
import { TetherError } from '../common/errors.js';
import type { EffectiveConfig } from '../config/types.js';
import { algorithmsFor } from './algorithms.js';
import { loadKnownHosts } from './host-key-check.js';
import type { HostKey } from './host-key.js';
import { hostKeyFromBlob } from './host-key.js';
import type { HostKeyVerdict } from './known-hosts.js';
import { judgeHostKey, knownHostsName, knownKeyTypes } from './known-hosts.js';
import { beforeBannerError, handshakeTimeoutError, linkClosedError, peerName } from './link-errors.js';
import { NegotiationLog } from './negotiation.js';
import { openSocket } from './socket.js';
import { remoteIdent } from './ssh2-internals.js';

/** What a server showed before authentication. */
export interface ServerInspection {
  readonly remoteIdent: string;
  readonly remoteAddress: string;
  readonly hostKey: HostKey;
  /** known_hosts' verdict on the key (nothing is recorded or asked). */
  readonly knownHosts: HostKeyVerdict['status'];
  readonly negotiated: NegotiatedAlgorithms;
  /** The methods listed in reply to "none" (empty if the server let us in without any). */
  readonly authMethods: readonly string[];
  readonly tcpConnectMs: number;
  readonly handshakeMs: number;
}

/** Connects directly (no ProxyJump), negotiates, offers "none", and disconnects. */
export async function inspectServer(config: EffectiveConfig, timeoutMs = 10_000): Promise<ServerInspection> {
  const opened = await openSocket({ host: config.hostname, port: config.port, family: config.addressFamily, timeoutMs });
  const { socket, address } = opened;
  const peer = peerName(address, config.hostname, config.port);
  const entries = loadKnownHosts(config);
  const name = knownHostsName(config.hostname, config.port, config.hostKeyAlias);
  const client = new ssh2.Client();
  const negotiation = new NegotiationLog();
  const start = performance.now();
  let hostKey: HostKey | undefined;
  let negotiated: NegotiatedAlgorithms | undefined;
  let handshakeMs = 0;
  let methods: string[] | undefined;
  return new Promise<ServerInspection>((resolve, reject) => {
    let settled = false;
    const finish = (err?: TetherError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      socket.destroy();
      if (!err && hostKey && negotiated && methods) {
        resolve({
          remoteIdent: remoteIdent(client) ?? '',
          remoteAddress: address,
          hostKey,
          knownHosts: judgeHostKey(entries, name, hostKey.type, hostKey.data).status,
          negotiated,
          authMethods: methods,
          tcpConnectMs: opened.tcpConnectMs,
          handshakeMs,
        });
      } else reject(err ?? new TetherError('internal', 'inspection ended without an answer'));
    };
    const timer = setTimeout(() => finish(handshakeTimeoutError(peer, remoteIdent(client) !== undefined)), timeoutMs);
    client.on('handshake', (algs) => {
      negotiated ??= algs;
      handshakeMs = performance.now() - start;
    });
    client.on('ready', () => {
      methods ??= []; // "none" was enough
      finish();
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (methods) return finish();
      const mismatch = negotiation.failure(err, address, config.port);
      if (mismatch) return finish(mismatch);
      if (remoteIdent(client) === undefined) return finish(beforeBannerError(err.message.includes('before handshake') ? undefined : err, peer));
      finish(linkClosedError(err, peer));
    });
    client.on('close', () => finish(methods ? undefined : remoteIdent(client) === undefined ? beforeBannerError(undefined, peer) : linkClosedError(undefined, peer)));
    try {
      client.connect({
        sock: socket,
        username: config.user,
        readyTimeout: 0,
        keepaliveInterval: 0,
        algorithms: algorithmsFor(config, knownKeyTypes(entries, name)),
        debug: negotiation.feed,
        hostVerifier: (blob: Buffer) => {
          hostKey = hostKeyFromBlob(blob);
          return true; // nothing is sent that a false server could use: only the user name
        },
        authHandler: (left: string[] | null, _partial: boolean, next: (m: false | { type: 'none'; username: string }) => void) => {
          if (left === null) return next({ type: 'none', username: config.user });
          methods = [...left];
          next(false);
        },
      } as ssh2.ConnectConfig);
    } catch (err) {
      finish(err instanceof TetherError ? err : new TetherError('internal', String(err), { cause: err }));
    }
  });
}
