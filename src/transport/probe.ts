// A cheap TCP probe of the SSH port: did the connect succeed, and did an SSH banner arrive? Used while a link is down
// to notice within a second that the path is back, and as evidence (refused vs timeout vs reset vs no banner).
import { connect as netConnect } from 'node:net';
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
 * TCP connect: does the path answer at all?); never rejects, always closes its socket.
 */
export function tcpProbe(host: string, port: number, timeoutMs: number, opts: { connectOnly?: boolean } = {}): Promise<ProbeResult> {
  const start = performance.now();
  return new Promise((resolve) => {
    const socket = netConnect({ host, port });
    let connectMs: number | undefined;
    let received = '';
    let settled = false;
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
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
      received += chunk.toString('latin1');
      const line = received.split('\n').find((l) => l.startsWith('SSH-'));
      if (line !== undefined && received.includes('\n', received.indexOf(line))) {
        finish({ outcome: 'open', banner: line.replace(/\r$/, ''), connectMs: connectMs ?? 0, bannerMs: performance.now() - start });
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
