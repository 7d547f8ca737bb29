// The progress line of each step, from its result (pure).
import type { ServerFacts } from '../../remote/evidence-parse.js';
import type { IdleBounds, IdleProbeResult } from '../../recovery/idle-learning.js';
import { connected, rttSummary } from './reach.js';
import type { DoctorTarget, IcmpResult, LoginResult, ServerResult, StepLine, TcpResult } from './types.js';

const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n.toFixed(0));
const sec = (n: number): string => (n / 1000).toFixed(1);

/** Step 1a. */
export function icmpLine(t: DoctorTarget, i: IcmpResult): StepLine {
  if (i.status === 'not-checked') return { step: 'icmp', mark: 'info', text: `ICMP: not checked (${i.why ?? 'no ping'})` };
  const rtt = i.avgMs === undefined ? '' : `, avg ${ms(i.avgMs)} ms`;
  const counts = `${String(i.received ?? 0)}/${String(i.sent ?? 0)} replies`;
  return { step: 'icmp', mark: i.status === 'answered' ? 'ok' : 'warn', text: `ICMP ping ${t.hostname}: ${counts}${rtt}` };
}

/** Step 1b. */
export function tcpLine(t: DoctorTarget, r: TcpResult): StepLine {
  const made = r.outcomes.filter(connected).length;
  const loss = r.outcomes.length - made;
  const s = rttSummary(r.rttMs);
  const where = `TCP ${t.hostname}:${String(t.port)}`;
  if (r.outcomes.length === 0) return { step: 'tcp', mark: 'info', text: `${where}: not probed directly (reached through ProxyJump)` };
  if (s === undefined) {
    const first = r.outcomes[0] ?? 'error';
    return { step: 'tcp', mark: 'fail', text: `${where}: ${first}${r.errno ? ` (${r.errno})` : ''} on ${String(r.outcomes.length)} of ${String(r.outcomes.length)} tries` };
  }
  const text = `${where}: connect RTT min/median/max ${ms(s.min)}/${ms(s.median)}/${ms(s.max)} ms, ${String(loss)} of ${String(r.outcomes.length)} lost`;
  return { step: 'tcp', mark: loss > 0 ? 'warn' : 'ok', text };
}

/** Step 2. */
export function bannerLine(r: TcpResult): StepLine | undefined {
  if (!r.outcomes.some(connected)) return undefined;
  if (r.banner !== undefined) {
    return { step: 'banner', mark: 'ok', text: `banner: ${r.banner} (after ${ms(r.bannerMs ?? 0)} ms)` };
  }
  if (r.outcomes.includes('closed-before-banner')) return { step: 'banner', mark: 'fail', text: 'banner: none, the connection was closed before the SSH banner' };
  return { step: 'banner', mark: 'warn', text: 'banner: none within the timeout' };
}

/** Steps 3 and 4. */
export function loginLines(t: DoctorTarget, l: LoginResult): StepLine[] {
  const offered = `auth methods offered: ${l.offered.join(', ') || '(not listed)'}`;
  if (l.ok) {
    return [
      { step: 'negotiation', mark: 'ok', text: `key exchange: ${l.algorithms?.length ? `${l.algorithms.join(', ')}, ` : ''}done in ${ms(l.handshakeMs ?? 0)} ms, host key ${l.hostKeyType ?? '?'} verified` },
      { step: 'auth', mark: 'ok', text: `${offered}; logged in as ${t.user} with ${l.method ?? 'an accepted method'}` },
    ];
  }
  if (l.errorKind === 'protocol') {
    const mm = l.mismatch;
    const theirs = mm?.server.filter((a) => !/^(kex-strict-[cs]-v00@openssh\.com|ext-info-[cs])$/.test(a)) ?? [];
    const text = mm ? `key exchange: no common ${mm.kind}; ours: ${mm.client.join(',')}; theirs: ${theirs.join(',')}` : `key exchange failed: ${l.message ?? ''}`;
    return [{ step: 'negotiation', mark: 'fail', text }];
  }
  if (l.errorKind === 'auth') return [{ step: 'auth', mark: 'fail', text: `${offered}; login as ${t.user} failed: ${l.message ?? ''}` }];
  return [{ step: 'login', mark: 'fail', text: `login failed: ${l.message ?? 'unknown error'}` }];
}

function when(epoch: number | undefined): string {
  return epoch === undefined ? 'not known' : new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
}

function uptime(sec: number | undefined): string {
  if (sec === undefined) return 'not known';
  const d = Math.floor(sec / 86400);
  const h = Math.floor((sec % 86400) / 3600);
  const m = Math.floor((sec % 3600) / 60);
  return d > 0 ? `${String(d)}d ${String(h)}h` : `${String(h)}h ${String(m)}m`;
}

function logLines(f: ServerFacts): StepLine[] {
  const out: StepLine[] = [];
  const journal = f.journalStatus === 'ok' ? `${String(f.journal.length)} line(s) in the last hour` : (f.journalStatus ?? 'not known');
  out.push({ step: 'server-journal', mark: 'info', text: `sshd journal: ${journal}` });
  for (const line of f.journal.slice(-5)) out.push({ step: 'server-journal', mark: 'info', text: `  ${line}` });
  const oom = f.oom.length > 0 ? `${String(f.oom.length)} OOM line(s)` : f.dmesgStatus === 'ok' || f.oomSource !== undefined ? 'no OOM lines' : `not known (dmesg ${f.dmesgStatus ?? 'not run'})`;
  out.push({ step: 'server-oom', mark: f.oom.length > 0 ? 'warn' : 'info', text: `kernel OOM killer: ${oom}` });
  for (const o of f.oom.slice(-3)) out.push({ step: 'server-oom', mark: 'warn', text: `  ${o.text}` });
  return out;
}

/** The listener serving this session: only one found above it (or named by the server itself) is reported as such. */
export function sshdMasterText(f: ServerFacts): string {
  if (f.sshdMasterPid === undefined) return 'sshd master: not known (no sshd found on the server)';
  const pid = `pid ${String(f.sshdMasterPid)}, started ${when(f.sshdMasterStart)}`;
  if (f.sshdMasterSource === 'ancestry' || f.sshdMasterSource === 'self') return `sshd master ${pid}`;
  const how = f.sshdMasterSource === 'pidfile' ? 'the pidfile names' : 'pgrep finds';
  return `sshd master: not known (no sshd above this session; ${how} ${pid}, which may be another server)`;
}

/** Step 5. */
export function serverLines(s: ServerResult): StepLine[] {
  const f = s.facts;
  if (f.execError !== undefined && f.bootId === undefined) return [{ step: 'server', mark: 'warn', text: `server facts: could not run the evidence script (${f.execError})` }];
  const load = f.loadAvg ? `${f.loadAvg.join(' ')}${s.nproc === undefined ? '' : ` on ${String(s.nproc)} CPUs`}` : 'not known';
  const mem = f.memAvailableKb === undefined ? 'not known' : `${String(Math.round(f.memAvailableKb / 1024))} MiB`;
  const ca = s.clientAlive;
  const alive = ca.source === 'unknown' ? `not known${ca.why === undefined ? '' : ` (${ca.why})`}` : `ClientAliveInterval ${String(ca.interval ?? '?')}, ClientAliveCountMax ${String(ca.countMax ?? '?')} (${ca.source})`;
  return [
    { step: 'server-boot', mark: 'info', text: `boot id ${f.bootId ?? 'not known'}, up ${uptime(f.uptimeSec)}` },
    { step: 'server-sshd', mark: 'info', text: sshdMasterText(f) },
    { step: 'server-load', mark: 'info', text: `load ${load}; MemAvailable ${mem}` },
    { step: 'server-clientalive', mark: ca.interval ? 'ok' : 'info', text: `sshd keep-alive: ${alive}` },
    ...logLines(f),
  ];
}

/** Step 6: before a round. */
export function idleRoundStartLine(round: number, waits: readonly number[]): StepLine {
  const first = waits[0] ?? 0;
  const last = waits[waits.length - 1] ?? 0;
  return { step: 'idle-probe', mark: 'info', text: `idle probe round ${String(round)}: ${String(waits.length)} idle connections, waits ${sec(first)}..${sec(last)} s (about ${String(Math.ceil(last / 1000) + 5)} s)` };
}

/** Step 6: after a round. */
export function idleRoundEndLine(round: number, bounds: IdleBounds, results: readonly IdleProbeResult[]): StepLine {
  const died = results.filter((r) => r.outcome === 'died').length;
  const failed = results.filter((r) => r.outcome === 'error').length;
  const range = bounds.upperMs === undefined ? `no limit up to ${sec(bounds.lowerMs)} s` : `limit between ${sec(bounds.lowerMs)} and ${sec(bounds.upperMs)} s`;
  return { step: 'idle-probe', mark: bounds.upperMs === undefined ? 'ok' : 'warn', text: `idle probe round ${String(round)}: ${String(results.length - died - failed)} survived, ${String(died)} died${failed ? `, ${String(failed)} failed to connect` : ''}: ${range}` };
}
