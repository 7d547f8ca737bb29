// -R: ask the server to listen (tcpip-forward) and connect each incoming channel to the local target. Bound to one
// link: after a reconnect, start it again on the new link.
import { connect as netConnect } from 'node:net';
import type { Channel, Client, ClientChannel, TcpConnectionDetails } from 'ssh2';
import type { Disposable } from '../common/disposable.js';
import { TetherError } from '../common/errors.js';
import type { ForwardSpec } from '../config/types.js';
import type { Link } from './link.js';
import type { Prompter } from './prompter.js';

/** An active remote forward. */
export interface RemoteForward extends Disposable {
  /** The port the server listens on (the allocated one when 0 was asked); 0 for a unix socket. */
  readonly port: number;
}

/** Options for a remote forward. */
export interface RemoteForwardOptions {
  readonly prompter: Prompter;
  readonly exitOnForwardFailure: boolean;
}

type Handler = (info: TcpConnectionDetails, accept: () => ClientChannel, reject: () => void) => void;

/** Per client: incoming forwarded connections dispatched by the server-side port (one ssh2 listener per client). */
const handlers = new WeakMap<Client, Map<number, Handler>>();

function dispatcher(client: Client): Map<number, Handler> {
  let map = handlers.get(client);
  if (map) return map;
  map = new Map();
  const table = map;
  handlers.set(client, table);
  client.on('tcp connection', (info, accept, reject) => {
    const handler = table.get(info.destPort) ?? (table.size === 1 ? [...table.values()][0] : undefined);
    if (handler) handler(info, accept, reject);
    else reject();
  });
  return table;
}

/** ssh's rule for the address sent in tcpip-forward: none → localhost, `*` or empty → all. */
function remoteBindAddress(address: string | undefined): string {
  if (address === undefined) return 'localhost';
  if (address === '*') return '';
  return address;
}

/** Starts a -R forward; undefined when the server refused (warned) and ExitOnForwardFailure is off. */
export function startRemoteForward(link: Link, spec: ForwardSpec, opts: RemoteForwardOptions): Promise<RemoteForward | undefined> {
  const bindAddr = remoteBindAddress(spec.bindAddress);
  const askedPort = spec.bindPort ?? 0;
  if (spec.bindSocket !== undefined) return startRemoteSocketForward(link, spec.bindSocket, spec, opts);
  return new Promise((resolve, reject) => {
    const refused = (err: Error) => {
      if (opts.exitOnForwardFailure) {
        reject(new TetherError('remote', `Error: remote port forwarding failed for listen port ${askedPort}`, { cause: err, fatal: true }));
      } else {
        opts.prompter.info(`Warning: remote port forwarding failed for listen port ${askedPort}`);
        resolve(undefined);
      }
    };
    if (link.unsafe) return refused(new Error('port forwarding disabled after a host key check failure'));
    try {
      link.client.forwardIn(bindAddr, askedPort, (err, port) => {
        if (err) return refused(err);
        const bound = askedPort === 0 ? port : askedPort;
        if (askedPort === 0) {
          const to = spec.hostSocket ?? `${spec.hostAddress ?? 'localhost'}:${spec.hostPort ?? 0}`;
          opts.prompter.info(`Allocated port ${bound} for remote forward to ${to}`);
        }
        const table = dispatcher(link.client);
        table.set(bound, (_info, accept, rejectConn) => connectLocal(spec, accept, rejectConn, opts.prompter));
        resolve({
          port: bound,
          dispose: () => {
            table.delete(bound);
            if (!link.closed) {
              try {
                link.client.unforwardIn(bindAddr, bound, () => undefined);
              } catch {
                // the link went away meanwhile; nothing to cancel
              }
            }
          },
        });
      });
    } catch (err) {
      refused(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/** Connects one forwarded connection to the local target (host:port or a unix socket) and joins them. */
function connectLocal(spec: ForwardSpec, accept: () => Channel, reject: () => void, prompter: Prompter): void {
  const local = spec.hostSocket !== undefined ? netConnect(spec.hostSocket) : netConnect(spec.hostPort ?? 0, spec.hostAddress ?? 'localhost');
  let accepted = false;
  local.once('connect', () => {
    accepted = true;
    const channel = accept();
    local.pipe(channel).pipe(local);
    channel.on('error', () => local.destroy());
    channel.on('close', () => local.destroy());
    local.on('close', () => channel.close());
  });
  local.once('error', (e) => {
    if (!accepted) {
      prompter.info(`connect_to ${spec.hostSocket ?? `${spec.hostAddress ?? 'localhost'} port ${spec.hostPort ?? 0}`}: failed: ${e.message}`);
      reject();
    }
  });
}

/** Per client: incoming streamlocal connections by remote socket path. */
const socketHandlers = new WeakMap<Client, Map<string, (accept: () => Channel, reject: () => void) => void>>();

/** -R /remote/path:target: the server listens on a unix socket (OpenSSH's streamlocal-forward). */
function startRemoteSocketForward(link: Link, path: string, spec: ForwardSpec, opts: RemoteForwardOptions): Promise<RemoteForward | undefined> {
  return new Promise((resolve, reject) => {
    const refused = (err: Error) => {
      if (opts.exitOnForwardFailure) {
        reject(new TetherError('remote', `Error: remote port forwarding failed for listen path ${path}`, { cause: err, fatal: true }));
      } else {
        opts.prompter.info(`Warning: remote port forwarding failed for listen path ${path}`);
        resolve(undefined);
      }
    };
    if (link.unsafe) return refused(new Error('port forwarding disabled after a host key check failure'));
    let table = socketHandlers.get(link.client);
    if (!table) {
      const created = new Map<string, (accept: () => Channel, reject: () => void) => void>();
      socketHandlers.set(link.client, created);
      link.client.on('unix connection', (info, accept, rejectConn) => {
        const handler = created.get(info.socketPath);
        if (handler) handler(accept, rejectConn);
        else rejectConn();
      });
      table = created;
    }
    const handlers = table;
    try {
      link.client.openssh_forwardInStreamLocal(path, (err) => {
        if (err) return refused(err);
        handlers.set(path, (accept, rejectConn) => connectLocal(spec, accept, rejectConn, opts.prompter));
        resolve({
          port: 0,
          dispose: () => {
            handlers.delete(path);
            if (!link.closed) {
              try {
                link.client.openssh_unforwardInStreamLocal(path, () => undefined);
              } catch {
                // the link went away meanwhile
              }
            }
          },
        });
      });
    } catch (err) {
      refused(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
