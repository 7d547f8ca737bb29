// The local listening side shared by -L and -D: bind (reporting failures in ssh's words), track accepted sockets,
// and open each connection's channel on whatever link is current, so the listener outlives a reconnect.
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { ClientChannel } from 'ssh2';
import type { Disposable } from '../common/disposable.js';
import { TetherError } from '../common/errors.js';
import type { Link } from './link.js';
import type { Prompter } from './prompter.js';
import { codeOf, errnoText } from './errno-text.js';

/** The link new forwarded connections should use: the current one, a promise of the next (during an outage), or
 * undefined when there is none (the connection is closed at once). */
export type LinkSource = () => Link | Promise<Link> | undefined;

/** Options shared by local listeners. */
export interface ListenOptions {
  readonly prompter: Prompter;
  /** ExitOnForwardFailure: a bind failure throws instead of warning. */
  readonly exitOnForwardFailure: boolean;
  /** GatewayPorts: an unspecified bind address means all interfaces instead of loopback. */
  readonly gatewayPorts?: boolean;
  /** How long a connection arriving during an outage waits for the next link (default 30 s). */
  readonly waitMs?: number;
}

/** A local listener that survives reconnects. */
export interface LocalListener extends Disposable {
  /** The bound port (useful with port 0); undefined for a unix socket. */
  readonly port: number | undefined;
  readonly address: string;
}

/** ssh's bind address rules: none → loopback (or all with GatewayPorts), `*`/empty → all, `localhost` → loopback. */
export function bindHost(address: string | undefined, gatewayPorts = false): string {
  if (address === undefined) return gatewayPorts ? '0.0.0.0' : '127.0.0.1';
  if (address === '' || address === '*') return '0.0.0.0';
  if (address === 'localhost') return '127.0.0.1';
  return address;
}

/** Whether ssh would listen on both loopbacks for this bind address (none, or `localhost`, without GatewayPorts). */
export function loopbackDefault(address: string | undefined, gatewayPorts = false): boolean {
  return (address === undefined && !gatewayPorts) || address === 'localhost';
}

function bracket(host: string): string {
  return `[${host}]`;
}

/** Binds a listener; on failure prints ssh's two lines and returns undefined, or throws with ExitOnForwardFailure.
 * With `alsoIpv6Loopback` it also listens on ::1 at the same port when it can, as ssh does for "localhost". */
export async function listenLocal(
  bind: { readonly host: string; readonly port?: number; readonly path?: string; readonly alsoIpv6Loopback?: boolean },
  onConnection: (socket: Socket) => void,
  opts: ListenOptions,
): Promise<LocalListener | undefined> {
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  const newServer = (): Server => {
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      onConnection(socket);
    });
    servers.push(server);
    return server;
  };
  const listen = (server: Server, host: string | undefined, port: number | undefined) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const done = () => {
        server.off('error', reject);
        server.on('error', () => undefined);
        resolve();
      };
      if (bind.path !== undefined) server.listen(bind.path, done);
      else server.listen(port ?? 0, host, done);
    });
  const primary = newServer();
  try {
    await listen(primary, bind.host, bind.port);
  } catch (err) {
    const where = bind.path ?? `${bracket(bind.host)}:${bind.port ?? 0}`;
    opts.prompter.info(`bind ${where}: ${errnoText(codeOf(err))}`);
    opts.prompter.info(
      bind.path !== undefined
        ? `channel_setup_fwd_listener_streamlocal: cannot listen to path: ${bind.path}`
        : `channel_setup_fwd_listener_tcpip: cannot listen to port: ${bind.port ?? 0}`,
    );
    if (opts.exitOnForwardFailure) {
      throw new TetherError('io', 'Could not request local forwarding.', { cause: err, fatal: true });
    }
    opts.prompter.info('Could not request local forwarding.');
    return undefined;
  }
  const addr = primary.address();
  const port = typeof addr === 'object' && addr !== null ? (addr as AddressInfo).port : undefined;
  if (bind.path === undefined && bind.alsoIpv6Loopback === true) {
    const v6 = newServer();
    await listen(v6, '::1', port).catch(() => {
      servers.pop(); // no IPv6 loopback, or the port is taken there: IPv4 alone, as ssh manages
      v6.close();
    });
  }
  return {
    port,
    address: bind.path ?? bind.host,
    dispose: () => {
      for (const server of servers) server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

/** Waits for the link to use, at most `waitMs`; undefined when there is none or it is unusable. */
export async function currentLink(source: LinkSource, waitMs: number): Promise<Link | undefined> {
  const got = source();
  let link: Link | undefined;
  if (got instanceof Promise) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)));
    link = await Promise.race([got.catch(() => undefined), timeout]);
    clearTimeout(timer);
  } else link = got;
  return link && !link.closed && !link.unsafe ? link : undefined;
}

/** Counts channels for ssh-style "channel N: open failed" lines. */
let channelCounter = 0;

/** Opens a direct-tcpip (or streamlocal) channel from the link; reports a refusal as ssh does, resolves undefined. */
export function dial(
  link: Link,
  target: { readonly host?: string; readonly port?: number; readonly path?: string },
  from: Socket,
  prompter: Prompter,
): Promise<ClientChannel | undefined> {
  const id = channelCounter++;
  return new Promise((resolve) => {
    const done = (err: Error | undefined, channel: ClientChannel | undefined) => {
      if (err || !channel) {
        prompter.info(`channel ${id}: open failed: connect failed: ${err?.message ?? 'unknown'}`);
        resolve(undefined);
      } else resolve(channel);
    };
    try {
      if (target.path !== undefined) link.client.openssh_forwardOutStreamLocal(target.path, done);
      else link.client.forwardOut(from.remoteAddress ?? '127.0.0.1', from.remotePort ?? 0, target.host ?? 'localhost', target.port ?? 0, done);
    } catch (err) {
      done(err instanceof Error ? err : new Error(String(err)), undefined);
    }
  });
}

/** Joins a local socket and a channel both ways; either end closing closes the other. */
export function splice(socket: Socket, channel: ClientChannel): void {
  socket.pipe(channel).pipe(socket);
  channel.on('error', () => socket.destroy());
  channel.on('close', () => socket.destroy());
  socket.on('close', () => channel.close());
  socket.resume();
}
