// Step 1 and 2: does the host answer ICMP, does the port accept TCP (RTT samples, loss), and what banner comes back.
import { execFile } from 'node:child_process';
import { tcpProbe } from '../../transport/probe.js';
import type { ProbeOutcome } from '../../transport/probe.js';
import type { IcmpResult, TcpResult } from './types.js';

/** Parses `ping`'s summary (iputils and busybox spell it alike). */
export function parsePingOutput(stdout: string): Pick<IcmpResult, 'sent' | 'received' | 'avgMs'> {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(stdout);
  const rtt = /= [\d.]+\/([\d.]+)\//.exec(stdout);
  return {
    ...(counts ? { sent: Number(counts[1]), received: Number(counts[2]) } : {}),
    ...(rtt ? { avgMs: Number(rtt[1]) } : {}),
  };
}

/** `ping -c 3 -W 1 host`; "not checked" when there is no ping binary or it may not run. Never rejects. */
export function icmpCheck(hostname: string, family: 'any' | 'inet' | 'inet6'): Promise<IcmpResult> {
  const args = [...(family === 'inet' ? ['-4'] : family === 'inet6' ? ['-6'] : []), '-c', '3', '-W', '1', '-n', hostname];
  return new Promise((resolve) => {
    execFile('ping', args, { timeout: 8000, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      const code = err === null ? 0 : err.code;
      if (code === 'ENOENT') return resolve({ status: 'not-checked', why: 'no ping binary on this machine' });
      const parsed = parsePingOutput(stdout);
      if (parsed.received !== undefined && parsed.received > 0) return resolve({ status: 'answered', ...parsed });
      if (code === 1 || (parsed.sent !== undefined && parsed.received === 0)) return resolve({ status: 'no-answer', ...parsed });
      resolve({ status: 'not-checked', why: (stderr.trim().split('\n')[0] ?? '') || `ping failed (${String(code)})` });
    });
  });
}

/** Whether a probe outcome means the port accepted the TCP connection. */
export function connected(o: ProbeOutcome): boolean {
  return o === 'open' || o === 'closed-before-banner';
}

/** `samples` TCP connects to host:port one after another; stops early after two failures in a row that agree. */
export async function tcpSamples(hostname: string, port: number, samples: number, timeoutMs: number): Promise<TcpResult> {
  const outcomes: ProbeOutcome[] = [];
  const rttMs: number[] = [];
  let errno: string | undefined;
  let banner: string | undefined;
  let bannerMs: number | undefined;
  for (let i = 0; i < samples; i++) {
    const r = await tcpProbe(hostname, port, timeoutMs);
    outcomes.push(r.outcome);
    if (r.connectMs !== undefined) rttMs.push(r.connectMs);
    if (r.outcome !== 'open') errno ??= r.errno;
    if (banner === undefined && r.banner !== undefined) {
      banner = r.banner;
      bannerMs = r.bannerMs;
    }
    const [a, b] = outcomes.slice(-2);
    if (b !== undefined && a === b && a !== 'open' && !rttMs.length) break;
  }
  return { outcomes, rttMs, ...(errno ? { errno } : {}), ...(banner ? { banner } : {}), ...(bannerMs === undefined ? {} : { bannerMs }) };
}

/** min / median / max of RTT samples. */
export function rttSummary(samples: readonly number[]): { min: number; median: number; max: number } | undefined {
  if (samples.length === 0) return undefined;
  const s = [...samples].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  return { min: s[0] ?? 0, median, max: s[s.length - 1] ?? 0 };
}
