// Step results → findings with the exact lines to add (pure; unit-tested). Reachability lives in findings-reach.ts.
import { adviceFor, suggestedServerAliveSec } from '../../diagnosis/advice.js';
import type { AdviceContext } from '../../diagnosis/advice.js';
import { reachFindings } from './findings-reach.js';
import type { DoctorReport, Finding } from './types.js';

const SSH_CONFIG = '~/.ssh/config';
const SSHD_CONFIG = '/etc/ssh/sshd_config';
/** ssh_config keyword per negotiation kind. */
const KEYWORD = { kex: 'KexAlgorithms', hostKey: 'HostKeyAlgorithms', cipher: 'Ciphers', mac: 'MACs' } as const;
/** Pseudo-algorithms in KEXINIT lists (strict kex, ext-info): nothing to configure. */
const MARKER = /^(kex-strict-[cs]-v00@openssh\.com|ext-info-[cs])$/;
/** Below this much available memory the server is short (sshd sessions are OOM-kill candidates). */
const LOW_MEMORY_KB = 100 * 1024;

function loginFindings(r: DoctorReport, x: AdviceContext): Finding[] {
  const l = r.login;
  if (l === undefined || l.ok) return [];
  const evidence = [l.message ?? 'login failed', ...(l.remoteIdent ? [`server: ${l.remoteIdent}`] : [])];
  switch (l.errorKind) {
    case 'protocol': {
      const mm = x.algorithmMismatch;
      const first = mm?.server[0];
      const line = mm !== undefined && mm.kind !== 'compression' && first !== undefined ? `    ${KEYWORD[mm.kind]} +${first}` : undefined;
      return [
        {
          id: 'algorithms',
          severity: 'error',
          title: mm ? `no common ${mm.kind} algorithm with ${r.target.hostname}` : `the SSH handshake failed`,
          evidence: mm ? [...evidence, `ours: ${mm.client.join(',')}`, `theirs: ${mm.server.join(',')}`] : evidence,
          advice: adviceFor('protocol', x),
          ...(line ? { config: [{ file: SSH_CONFIG, lines: [`Host ${r.target.alias}`, line] }] } : {}),
        },
      ];
    }
    case 'auth':
      return [
        {
          id: 'auth',
          severity: 'error',
          title: `authentication failed for ${r.target.user}; the server offers ${l.offered.join(', ') || '(no methods named)'}`,
          evidence,
          advice: adviceFor('auth', x),
        },
      ];
    case 'host-key-changed':
    case 'host-key-revoked':
      return [{ id: 'host-key', severity: 'error', title: `the host key of ${r.target.hostname} is not the one known`, evidence, advice: adviceFor('host-key-changed', x) }];
    case 'host-key-unknown':
      return [
        {
          id: 'host-key-unknown',
          severity: 'error',
          title: `the host key of ${r.target.hostname} is not in known_hosts and StrictHostKeyChecking refused it`,
          evidence,
          advice: ['verify the fingerprint with the server\'s administrator, then connect once with plain ssh (or StrictHostKeyChecking=accept-new) to record it'],
        },
      ];
    case 'closed-before-banner':
      if (r.tcp.banner === undefined && r.tcp.outcomes.includes('closed-before-banner')) return []; // said already
      return [{ id: 'closed-before-banner', severity: 'error', title: 'the server closed the connection before its SSH banner', evidence, advice: adviceFor('refused-before-banner', x) }];
    default:
      return [{ id: 'login-failed', severity: 'error', title: `the SSH connection failed: ${l.message ?? 'unknown error'}`, evidence, advice: adviceFor('unknown', x) }];
  }
}

function serverFindings(r: DoctorReport, x: AdviceContext): Finding[] {
  const s = r.server;
  if (s === undefined) return [];
  const out: Finding[] = [];
  const f = s.facts;
  if (f.oom.length > 0) {
    out.push({ id: 'oom', severity: 'warn', title: `the kernel's OOM killer has been active on ${r.target.hostname}`, evidence: f.oom.map((o) => o.text), advice: adviceFor('session-killed', x) });
  }
  if (f.memAvailableKb !== undefined && f.memAvailableKb < LOW_MEMORY_KB) {
    out.push({ id: 'low-memory', severity: 'warn', title: `only ${String(Math.round(f.memAvailableKb / 1024))} MiB of memory available on ${r.target.hostname}`, evidence: [`MemAvailable: ${String(f.memAvailableKb)} kB`], advice: adviceFor('session-killed', x) });
  }
  if (f.loadAvg !== undefined && s.nproc !== undefined && f.loadAvg[0] > 2 * s.nproc) {
    out.push({ id: 'high-load', severity: 'warn', title: `${r.target.hostname} is overloaded: load ${String(f.loadAvg[0])} on ${String(s.nproc)} CPUs`, evidence: [`loadavg ${f.loadAvg.join(' ')}`], advice: adviceFor('session-killed', x) });
  }
  const ca = s.clientAlive;
  if (ca.interval === undefined || ca.interval === 0) {
    out.push({
      id: 'server-keepalive',
      severity: 'info',
      title: ca.interval === 0 ? `sshd on ${r.target.hostname} sends no keep-alives (ClientAliveInterval 0, from ${ca.source})` : `sshd's ClientAliveInterval on ${r.target.hostname} is not known${ca.why === undefined ? '' : ` (${ca.why})`}`,
      evidence: [`ClientAliveInterval ${ca.interval === undefined ? 'not known' : String(ca.interval)}, ClientAliveCountMax ${ca.countMax === undefined ? 'not known' : String(ca.countMax)}`],
      advice: ['if you control the server: these lines make sshd keep the path busy and notice dead clients; then `sudo systemctl restart ssh`'],
      config: [{ file: SSHD_CONFIG, lines: ['ClientAliveInterval 60', 'ClientAliveCountMax 3'] }],
    });
  }
  return out;
}

function idleFindings(r: DoctorReport, x: AdviceContext): Finding[] {
  const i = r.idle;
  if (i === undefined) return [];
  const sec = (ms: number): string => (ms / 1000).toFixed(1);
  const evidence = [
    `survived ${sec(i.bounds.lowerMs)} s of silence${i.bounds.upperMs === undefined ? '' : `, died after ${sec(i.bounds.upperMs)} s`} (${String(i.rounds)} round${i.rounds === 1 ? '' : 's'})`,
    ...(i.consistent ? [] : ['results disagreed (a longer silence survived a shorter one): loss on the path; the shorter one wins']),
    ...(i.errors > 0 ? [`${String(i.errors)} probe connection(s) failed to connect`] : []),
    ...(i.serverTraffic ? ['the server sent data during the waits (sshd ClientAliveInterval?): the path was never idle longer than that'] : []),
  ];
  if (i.estimateMs === undefined) {
    return [{ id: 'idle-no-limit', severity: 'info', title: `idle connections survived ${sec(i.bounds.lowerMs)} s of silence: no idle limit found up to ${sec(i.maxWaitMs)} s`, evidence, advice: [] }];
  }
  const n = suggestedServerAliveSec(i.estimateMs);
  return [
    {
      id: 'idle-limit',
      severity: 'warn',
      title: `the path drops idle connections after about ${String(Math.round(i.estimateMs / 1000))} s`,
      evidence,
      advice: adviceFor('idle-timeout', x),
      config: [
        { file: SSH_CONFIG, lines: [`Host ${r.target.alias}`, `    ServerAliveInterval ${String(n)}`] },
        { file: SSHD_CONFIG, lines: ['ClientAliveInterval ' + String(Math.min(60, n)), 'ClientAliveCountMax 3'] },
      ],
    },
  ];
}

/** The keep-alive lines for ~/.ssh/config when login works and the config does not already ping often enough. */
function keepaliveFinding(r: DoctorReport): Finding[] {
  if (r.login?.ok !== true || r.idle?.estimateMs !== undefined) return [];
  const n = suggestedServerAliveSec(undefined);
  if (r.serverAliveInterval > 0 && r.serverAliveInterval <= n) return [];
  return [
    {
      id: 'client-keepalive',
      severity: 'info',
      title: r.serverAliveInterval > 0 ? `your ssh config pings only every ${String(r.serverAliveInterval)} s` : 'your ssh config sends no keep-alives (ServerAliveInterval 0): plain ssh dies on paths with an idle timeout',
      evidence: [`ServerAliveInterval ${String(r.serverAliveInterval)}`],
      advice: ['tether pings on its own; for plain ssh add these lines (run `tether doctor --idle-probe` to measure the path\'s limit)'],
      config: [{ file: SSH_CONFIG, lines: [`Host ${r.target.alias}`, `    ServerAliveInterval ${String(n)}`] }],
    },
  ];
}

/** Everything doctor concludes from its steps, errors first. */
export function findingsFor(r: DoctorReport): Finding[] {
  const x: AdviceContext = {
    host: r.target.alias,
    hostname: r.target.hostname,
    port: r.target.port,
    ...(r.idle?.estimateMs === undefined ? {} : { idleLimitMs: r.idle.estimateMs }),
    ...(r.idle?.keepaliveMs === undefined ? {} : { keepaliveMs: r.idle.keepaliveMs }),
    ...(r.login?.mismatch ? { algorithmMismatch: { ...r.login.mismatch, server: r.login.mismatch.server.filter((a) => !MARKER.test(a)) } } : {}),
  };
  const all = [...reachFindings(r, x), ...loginFindings(r, x), ...serverFindings(r, x), ...idleFindings(r, x), ...keepaliveFinding(r)];
  const rank = { error: 0, warn: 1, info: 2 } as const;
  return all.sort((a, b) => rank[a.severity] - rank[b.severity]);
}

/** 0 when the host is reachable and login works (no error finding), 1 when doctor found a problem. */
export function exitStatusFor(r: DoctorReport, findings: readonly Finding[]): number {
  return r.login?.ok === true && !findings.some((f) => f.severity === 'error') ? 0 : 1;
}
