// The TCP connection under an SSH link, opened by tether itself (not by ssh2) so that errors, address family,
// ConnectTimeout and timings are ours to report in ssh's words.
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP } from 'node:net';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { TetherError } from '../common/errors.js';
import { codeOf, errnoText } from './errno-text.js';
import { abortedError } from './link-errors.js';

/** How to open the socket (from the effective config). */
export interface SocketOptions {
  readonly host: string;
  readonly port: number;
  readonly family?: 'any' | 'inet' | 'inet6';
  /** Per-address connect timeout (ConnectTimeout); undefined = the kernel's. */
  readonly timeoutMs?: number;
  readonly bindAddress?: string;
  /** TCPKeepAlive. */
  readonly keepAlive?: boolean;
  /** Cancels the attempt (the socket is destroyed). */
  readonly signal?: AbortSignal;
}

/** A connected socket and what it cost. */
export interface OpenedSocket {
  readonly socket: Socket;
  /** The peer's IP address as connected. */
  readonly address: string;
  /** From the start of name resolution to the TCP handshake's end. */
  readonly tcpConnectMs: number;
}

/** An error marked with its errno code (ETIMEDOUT for our own timeout). */
function errnoError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Resolves the host to addresses in the requested family; failure is ssh's "Could not resolve hostname". */
async function resolve(host: string, family: SocketOptions['family']): Promise<string[]> {
  const fam = family === 'inet' ? 4 : family === 'inet6' ? 6 : 0;
  if (isIP(host) !== 0) return [host];
  try {
    const addrs = await lookup(host, { family: fam, all: true });
    return addrs.map((a) => a.address);
  } catch (err) {
    throw new TetherError('connect', `ssh: Could not resolve hostname ${host}: ${errnoText(codeOf(err))}`, {
      cause: err,
      fatal: false,
    });
  }
}

/** One TCP connect attempt to one address, with an optional timeout. */
function connectOnce(address: string, opts: SocketOptions): Promise<Socket> {
  return new Promise((resolvePromise, reject) => {
    const socket = netConnect({
      host: address,
      port: opts.port,
      ...(opts.bindAddress === undefined ? {} : { localAddress: opts.bindAddress }),
    });
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            socket.destroy();
            reject(errnoError('ETIMEDOUT', `connect ETIMEDOUT ${address}:${opts.port}`));
          }, opts.timeoutMs);
    const onAbort = (): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(abortedError(opts.signal as AbortSignal));
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      resolvePromise(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(err);
    });
  });
}

/** Opens the TCP connection, trying each address in turn as ssh does; errors read `ssh: connect to host H port P: ...`. */
export async function openSocket(opts: SocketOptions): Promise<OpenedSocket> {
  const start = performance.now();
  const addresses = await resolve(opts.host, opts.family);
  let lastError: unknown = errnoError('EHOSTUNREACH', 'no address');
  for (const address of addresses) {
    if (opts.signal?.aborted) throw abortedError(opts.signal);
    try {
      const socket = await connectOnce(address, opts);
      socket.setNoDelay(true);
      socket.setKeepAlive(opts.keepAlive ?? true);
      return { socket, address, tcpConnectMs: performance.now() - start };
    } catch (err) {
      if (err instanceof TetherError) throw err; // cancelled
      lastError = err;
    }
  }
  // A reset (not a refusal) means the TCP handshake completed and the server dropped us at once: MaxStartups,
  // TCP wrappers, fail2ban — the same cause as a close before the banner.
  const kind = codeOf(lastError) === 'ECONNRESET' ? 'closed-before-banner' : 'connect';
  throw new TetherError(kind, `ssh: connect to host ${opts.host} port ${opts.port}: ${errnoText(codeOf(lastError))}`, {
    cause: lastError,
  });
}
