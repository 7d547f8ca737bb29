// Benchmark 3 and idle CPU: every client sits idle at a shell prompt at the same time for one window; we count the
// TCP segments of each client's connection (ss -ti in the client namespace: segs_out/segs_in per socket, mapped to
// the client's PID), mosh's UDP packets (firewall counters) and each client's CPU time (/proc/PID/task/*/schedstat), and scale
// them to an hour / a minute.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import type { Lab } from '../test/lab/index.js';
import { startClient, PROMPT } from './clients.js';
import type { Client, ClientSpec } from './clients.js';
import { moshPackets } from './mosh.js';
import { summarize } from './stats.js';
import type { BenchResult, Row } from './results.js';
import { log, resetLab, sleep } from './util.js';

/** Clock ticks per second for /proc/PID/stat (USER_HZ is 100 on Linux). */
const HZ = 100;
/** From the prompt to the start of the window. */
const SETTLE_MS = 30_000;

/** The fields after "(comm) " of /proc/PID/stat (state=0, ppid=1, ... utime=11, stime=12), or null. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** A process and its descendants (autossh's ssh, the loop's ssh), from the ppid links in /proc. */
function tree(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (f) parent.set(Number(name), Number(f[1]));
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [p, pp] of parent) if (pp === out[i]) out.push(p);
  return out;
}

/** CPU time of one process, all its threads (ms): the scheduler's ns count, else utime+stime in 10 ms ticks. */
function processCpuMs(pid: number): number {
  try {
    let ns = 0;
    for (const t of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
    return ns / 1e6;
  } catch {
    const f = statFields(pid);
    return f ? ((Number(f[11]) + Number(f[12])) * 1000) / HZ : 0;
  }
}

/** CPU time (ms) of a process tree (its live members). */
function cpuMs(pid: number): number | null {
  if (!statFields(pid)) return null;
  return tree(pid).reduce((sum, p) => sum + processCpuMs(p), 0);
}

/** tether's keep-alive cadence while idle (its default, nothing learned). */
const KEEPALIVE_S = 25;

/** A Node.js process that only wakes at tether's keep-alive cadence: what any Node program costs idle here. */
function startNodeFloor(): ChildProcess {
  return spawn(process.execPath, ['-e', `setInterval(() => {}, ${KEEPALIVE_S * 1000})`], { stdio: 'ignore' });
}

/** A CPU time for a note (ms, whole). */
function ms(v: number | null | undefined): string {
  return v === null || v === undefined ? '?' : v.toFixed(0);
}

/** The command name of a process (to say which process was measured). */
function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/** Segments out/in of every established TCP socket to port 22 in the client namespace, summed per owning PID. */
async function segmentsByPid(lab: Lab): Promise<Map<number, { out: number; in: number }>> {
  const r = await lab.execInClient('ss', ['-t', '-i', '-n', '-p', '-H', 'state', 'established', '( dport = :22 )']);
  const by = new Map<number, { out: number; in: number }>();
  let pids: number[] = [];
  for (const line of r.stdout.split('\n')) {
    const owners = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
    if (owners.length > 0) pids = owners;
    const out = /\bsegs_out:(\d+)/.exec(line);
    const inn = /\bsegs_in:(\d+)/.exec(line);
    if (out && inn) {
      for (const pid of new Set(pids)) {
        const cur = by.get(pid) ?? { out: 0, in: 0 };
        cur.out += Number(out[1]);
        cur.in += Number(inn[1]);
        by.set(pid, cur);
      }
      pids = [];
    }
  }
  return by;
}

/** The idle clients: tether, ssh with ServerAliveInterval 5 and 60, ssh without keep-alives, autossh + tmux, and mosh. */
export function idleClients(withAutossh: boolean, withMosh: boolean): ClientSpec[] {
  const specs: ClientSpec[] = [
    { kind: 'tether', label: 'tether' },
    { kind: 'ssh', label: 'ssh -o ServerAliveInterval=5', aliveInterval: 5 },
    { kind: 'ssh', label: `ssh -o ServerAliveInterval=${KEEPALIVE_S}`, aliveInterval: KEEPALIVE_S },
    { kind: 'ssh', label: 'ssh -o ServerAliveInterval=60', aliveInterval: 60 },
    { kind: 'ssh', label: 'ssh -o ServerAliveInterval=0 (none)', aliveInterval: 0 },
  ];
  if (withAutossh) specs.push({ kind: 'autossh', label: 'autossh -M 0 + tmux (ServerAliveInterval=5)', aliveInterval: 5, tag: 'autossh' });
  if (withMosh) specs.push({ kind: 'mosh', label: 'mosh' });
  return specs;
}

/** One idle window of windowS seconds for all clients at once; returns the packet and CPU tables. */
export async function runIdle(lab: Lab, specs: readonly ClientSpec[], windowS: number): Promise<BenchResult[]> {
  const clients: Client[] = specs.map((s) => startClient(lab, s));
  const floor = startNodeFloor();
  try {
    await Promise.all(clients.map((c) => c.pty.waitFor(PROMPT, 30_000)));
    // logins done, and the start-up's background work over (tether reads the server's facts once the shell is up)
    await sleep(SETTLE_MS);
    const seg0 = await segmentsByPid(lab);
    const udp0 = await moshPackets(lab);
    const cpu0 = clients.map((c) => cpuMs(c.pty.pid));
    const floor0 = floor.pid === undefined ? null : cpuMs(floor.pid);
    const bytes0 = clients.map((c) => c.pty.bytes);
    const writes = clients.map(() => 0);
    const offs = clients.map((c, i) => c.pty.onRaw(() => void (writes[i] = (writes[i] ?? 0) + 1)));
    const t0 = Date.now();
    log(`idle: ${windowS} s window, ${clients.length} clients at a prompt`);
    await sleep(windowS * 1000);
    const seg1 = await segmentsByPid(lab);
    const udp1 = await moshPackets(lab);
    const cpu1 = clients.map((c) => cpuMs(c.pty.pid));
    const floor1 = floor.pid === undefined ? null : cpuMs(floor.pid);
    for (const off of offs) off();
    const hours = (Date.now() - t0) / 3_600_000;
    const minutes = hours * 60;
    const pktRows: Row[] = [];
    const cpuRows: Row[] = [];
    clients.forEach((c, i) => {
      const label = c.spec.label;
      let pkts: number | null = null;
      let note: string;
      if (c.spec.kind === 'mosh') {
        pkts = udp1[0] - udp0[0] + (udp1[1] - udp0[1]);
        note = `UDP, both directions (client→server ${udp1[0] - udp0[0]} in ${windowS} s)`;
      } else {
        const members = tree(c.pty.pid);
        const sum = (m: Map<number, { out: number; in: number }>): { out: number; in: number } | undefined => {
          const hits = members.map((p) => m.get(p)).filter((v): v is { out: number; in: number } => v !== undefined);
          return hits.length === 0 ? undefined : { out: hits.reduce((x, v) => x + v.out, 0), in: hits.reduce((x, v) => x + v.in, 0) };
        };
        const a = sum(seg0);
        const b = sum(seg1);
        if (a && b) {
          pkts = b.out - a.out + (b.in - a.in);
          note = `TCP segments both directions (client→server ${b.out - a.out} in ${windowS} s)`;
        } else note = `no TCP socket found for pid ${c.pty.pid} (${comm(c.pty.pid)})`;
      }
      const perHour = pkts === null ? null : pkts / hours;
      pktRows.push({ tool: label, command: c.command, summary: summarize([perHour]), note, ...(c.spec.kind === 'tether' ? { targeted: true } : {}), ...(c.spec.kind === 'ssh' && label.includes('=5') ? { baseline: true } : {}) });
      const a = cpu0[i];
      const b = cpu1[i];
      const drawn = c.pty.bytes - (bytes0[i] ?? 0);
      const cpu = a === null || a === undefined || b === null || b === undefined ? null : (b - a) / minutes;
      cpuRows.push({ tool: label, command: c.command, summary: summarize([cpu]), note: `process ${comm(c.pty.pid)}, ${ms(a)} → ${ms(b)} ms CPU; ${drawn} bytes in ${writes[i] ?? 0} writes to the terminal while idle`, ...(c.spec.kind === 'tether' ? { targeted: true } : {}), ...(c.spec.kind === 'ssh' && label.includes('=5') ? { baseline: true } : {}) });
    });
    const floorCpu = floor0 === null || floor1 === null ? null : (floor1 - floor0) / minutes;
    cpuRows.push({ tool: `node (an empty timer every ${KEEPALIVE_S} s)`, command: `node -e 'setInterval(() => {}, ${KEEPALIVE_S * 1000})'`, summary: summarize([floorCpu]), note: `the floor of any Node.js program that wakes at tether's keep-alive cadence on this machine (${ms(floor0)} → ${ms(floor1)} ms CPU)` });
    return [
      {
        id: 'keepalive',
        title: 'Keep-alive packets per idle hour',
        unit: 'packets/h',
        target: { kind: 'none', text: 'none set; fewer is better, as long as the path\'s idle limit is never reached' },
        rows: pktRows,
        notes: [
          `All clients at an idle shell prompt at the same time for ${windowS} s (tmux status line off, so the remote side is silent), packets counted in the window and scaled to one hour; n is 1 window.`,
          'tether pings below the path\'s idle limit (default 25 s, learned per host after an idle-timeout reset); OpenSSH with ServerAliveInterval=N pings every N s of silence. Each ping is about 3 segments (request, reply, ACK).',
        ],
      },
      {
        id: 'idle-cpu',
        title: 'CPU while idle',
        unit: 'ms CPU/min',
        target: { kind: 'max', value: 30, text: 'tether ≤ 30 ms CPU per idle minute and no terminal writes' },
        rows: cpuRows,
        notes: [
          `CPU time of the client's process tree (autossh's ssh, mosh-client), every thread, from /proc/PID/task/TID/schedstat (the scheduler's nanosecond count; /proc/PID/stat's 10 ms ticks charge a whole tick to whoever runs when it fires, which for a process that wakes a few times a minute is mostly noise), over the same ${windowS} s idle window, per minute; the window starts ${SETTLE_MS / 1000} s after the prompt.`,
          `This machine is a virtual machine: a wake-up after a long sleep costs far more here than on bare metal (cold caches, the host's scheduling), and the same program measured twice a few minutes apart differed by up to 3× in this session. The Node.js row shows that floor in the same window: tether's own work is what it spends above it.`,
        ],
      },
    ];
  } finally {
    floor.kill();
    for (const c of clients) c.pty.kill();
    await resetLab(lab);
  }
}
