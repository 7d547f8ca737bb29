// A cheap TCP probe of the SSH port: did the connect succeed, and did an SSH banner arrive? Used while a link is down
// to notice within a second that the path is back, and as evidence (refused vs timeout vs reset vs no banner).
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { codeOf } from './errno-text.js';

/** What the probe met. */
export type ProbeOutcome = 'open' | 'closed-before-banner' | 'refused' | 'timeout' | 'unreachable' | 'reset' | 'error';

export interface ProbeResult {
  readonly outcome: ProbeOutcome;
  /** The errno behind a failure (ECONNREFUSED, ENETUNREACH, ECONNRESET, ...). */
  readonly errno?: string;
  /** The server's identification line, when one arrived in time (`open` only). */
  readonly banner?: string;
  /** Time to TCP connect, when it connected. */
  readonly connectMs?: number;
  /** Time to the banner, when one arrived. */
  readonly bannerMs?: number;
  /** With `keep`: the connected socket, paused, after the banner (hand it to connect() as `opened`). */
  readonly socket?: Socket;
  /** ... and the bytes read from it so far (the banner), to be read again by the SSH handshake. */
  readonly head?: Buffer;
}

function failure(code: string | undefined): ProbeOutcome {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENETDOWN':
    case 'EHOSTDOWN':
      return 'unreachable';
    case 'ECONNRESET':
      return 'reset';
    default:
      return 'error';
  }
}

/**
 * Connects to host:port and waits for `SSH-...` up to `timeoutMs` in all (with `connectOnly`, resolves 'open' at the
 * TCP connect: does the path answer at all?); never rejects, always closes its socket unless `keep` asks for a
 * socket that saw the banner (the caller then owns it: a reconnect can run its handshake on it, saving a connect).
 */
export function tcpProbe(host: string, port: number, timeoutMs: number, opts: { connectOnly?: boolean; keep?: boolean; keepMs?: number } = {}): Promise<ProbeResult> {
  const start = performance.now();
  return new Promise((resolve) => {
    const socket = netConnect({ host, port });
    let connectMs: number | undefined;
    let received = '';
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const handOver = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.pause();
      for (const ev of ['data', 'end', 'error', 'connect']) socket.removeAllListeners(ev);
      socket.on('error', () => undefined); // until the new owner listens; a failure then shows in its handshake
      // not taken within keepMs: closed (sshd would otherwise hold a pre-auth slot for its LoginGraceTime)
      socket.setTimeout(opts.keepMs ?? 1_000, () => socket.destroy());
      socket.unref();
      resolve({ ...result, socket, head: Buffer.concat(chunks) });
    };
    const timer = setTimeout(() => {
      if (connectMs === undefined) finish({ outcome: 'timeout', errno: 'ETIMEDOUT' });
      else finish({ outcome: 'open', connectMs }); // connected, but no banner yet: the port is open
    }, timeoutMs);
    socket.once('connect', () => {
      connectMs = performance.now() - start;
      if (opts.connectOnly === true) finish({ outcome: 'open', connectMs });
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.toString('latin1');
      const line = received.split('\n').find((l) => l.startsWith('SSH-'));
      if (line !== undefined && received.includes('\n', received.indexOf(line))) {
        const result: ProbeResult = { outcome: 'open', banner: line.replace(/\r$/, ''), connectMs: connectMs ?? 0, bannerMs: performance.now() - start };
        if (opts.keep === true) handOver(result);
        else finish(result);
      }
    });
    socket.once('end', () => finish({ outcome: 'closed-before-banner', errno: 'EOF', ...(connectMs === undefined ? {} : { connectMs }) }));
    socket.once('error', (err) => {
      const code = codeOf(err);
      if (connectMs !== undefined) finish({ outcome: 'closed-before-banner', ...(code ? { errno: code } : {}), connectMs });
      else finish({ outcome: failure(code), ...(code ? { errno: code } : {}) });
    });
  });
}
