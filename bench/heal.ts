// Benchmarks 1 and 2, in one trial per repetition and fault: every client runs at once in the lab; at t0 the fault is
// applied (see faults.ts) and Enter is typed in each; we time how long each takes to notice. The fault is undone 2 s
// after the last client noticed, plus a random 0-4 s (the same outage for all); then `echo mark-$((B+i))` is typed every
// 500 ms and we time until the first mark's output (the digits, never the typed text) is on the screen, in the same shell.
import type { Lab } from '../test/lab/index.js';
import { startClient, PROMPT } from './clients.js';
import type { ClientSpec } from './clients.js';
import { FAULTS } from './faults.js';
import type { BenchFault } from './faults.js';
import { nowMs } from './pty-session.js';
import { recoverySteps, recoveryTraceTable } from './recovery-trace.js';
import type { RecoverySteps } from './recovery-trace.js';
import { summarize } from './stats.js';
import type { BenchResult, Row } from './results.js';
import { DEAD, RESTORED, SUSPECT, traceTime } from './trace.js';
import { log, poll, resetLab, sleep } from './util.js';

/** What an OpenSSH-family client prints when its link is declared dead (ServerAlive or a TCP error). */
const SSH_DEAD = /not responding|Broken pipe|closed by remote host|Connection reset|Connection to .* closed/;
/** mosh's notice that the server went silent. */
const MOSH_DEAD = /Last contact|Connecting\.\.\./;
/** Longest outage before the path is restored anyway (a client that never notices). */
const MAX_OUTAGE_MS = 45_000;
/** How long after the fault ends we wait for the mark. */
const RECOVER_TIMEOUT_MS = 40_000;

/** One trial's times in ms, per client label (null: did not happen). */
interface TrialTimes {
  detect: Map<string, number | null>;
  detectDead: Map<string, number | null>;
  recover: Map<string, number | null>;
  restoreDone: Map<string, number | null>;
  /** tether's recovery by step (see recovery-trace.ts). */
  steps: RecoverySteps[];
}

/** The clients of the healing trials (mosh only when available). */
export function healClients(withAutossh: boolean, withMosh: boolean): ClientSpec[] {
  const specs: ClientSpec[] = [
    { kind: 'tether', label: 'tether' },
    { kind: 'ssh-loop', label: 'ssh + reconnect loop + tmux', aliveInterval: 5, tag: 'loop' },
  ];
  if (withAutossh) specs.push({ kind: 'autossh', label: 'autossh -M 0 + tmux', aliveInterval: 5, tag: 'autossh' });
  if (withMosh) specs.push({ kind: 'mosh', label: 'mosh', aliveInterval: 5 });
  return specs;
}

async function trial(lab: Lab, fault: BenchFault, specs: readonly ClientSpec[], k: number, commands: Map<string, string>): Promise<TrialTimes> {
  const times: TrialTimes = { detect: new Map(), detectDead: new Map(), recover: new Map(), restoreDone: new Map(), steps: [] };
  const clients = specs.map((s) => startClient(lab, s));
  for (const c of clients) commands.set(c.spec.label, c.command);
  let undone = false;
  try {
    const ready = await Promise.all(clients.map((c) => c.pty.waitFor(PROMPT, 30_000)));
    clients.forEach((c, i) => {
      if (ready[i] === null) log(`heal trial ${k}: ${c.spec.label} never showed a prompt:\n${c.pty.screenText()}`);
    });
    await sleep(3000); // a few keep-alive replies for tether's RTT estimate; everyone settled
    await fault.apply(lab);
    const t0 = nowMs();
    for (const c of clients) c.pty.write('\r');
    // tether: its trace (suspect, then dead); the others: their disconnect message on the pty
    const seen = await Promise.all(
      clients.map((c) => {
        const file = c.traceFile;
        if (file !== undefined) return poll(() => traceTime(file, DEAD, t0), MAX_OUTAGE_MS, 50);
        return c.pty.waitFor(c.spec.kind === 'mosh' ? MOSH_DEAD : SSH_DEAD, MAX_OUTAGE_MS);
      }),
    );
    let last = t0;
    clients.forEach((c, i) => {
      const at = seen[i];
      const ok = at !== null && at !== undefined && Number.isFinite(at) ? at : null;
      if (ok !== null) last = Math.max(last, ok);
      if (c.traceFile !== undefined) {
        const s = traceTime(c.traceFile, SUSPECT, t0);
        times.detect.set(c.spec.label, s === null ? null : s - t0);
        times.detectDead.set(c.spec.label, ok === null ? null : ok - t0);
      } else {
        times.detect.set(c.spec.label, ok === null ? null : ok - t0);
      }
    });
    // 2-6 s after the last client noticed: a random phase, so no client's retry timer (a SYN retransmission 1 s
    // after a loop's restart, a 1 s probe) lines up with the restore in every trial
    const restoreAt = Math.min(last + 2000 + Math.random() * 4000, t0 + MAX_OUTAGE_MS);
    await sleep(Math.max(0, restoreAt - nowMs()));
    await fault.undo(lab);
    undone = true;
    const t1 = nowMs();
    log(`heal ${fault.id} trial ${k}: outage ${((t1 - t0) / 1000).toFixed(1)} s; detection ${[...times.detect].map(([l, v]) => `${l}=${v === null ? '-' : Math.round(v)}`).join(' ')}`);
    // type a mark every 500 ms into every client until its output shows up
    const base = 10_000 * (k + 1);
    const re = new RegExp(`mark-${k + 1}\\d{4}`);
    const marks = clients.map((c) => c.pty.waitFor(re, RECOVER_TIMEOUT_MS));
    const done = new Set<number>();
    void Promise.all(marks.map((m, i) => m.then(() => done.add(i))));
    let n = 0;
    const typer = setInterval(() => {
      clients.forEach((c, i) => {
        if (!done.has(i)) c.pty.write(`echo mark-$((${base}+${n}))\r`);
      });
      n++;
    }, 500);
    clients.forEach((c, i) => {
      if (!done.has(i)) c.pty.write(`echo mark-$((${base}+${n}))\r`);
    });
    n++;
    const got = await Promise.all(marks);
    clearInterval(typer);
    clients.forEach((c, i) => {
      const at = got[i];
      times.recover.set(c.spec.label, at === null || at === undefined || !Number.isFinite(at) ? null : at - t1);
      if (c.traceFile !== undefined) {
        const r = traceTime(c.traceFile, RESTORED, t1 - 1);
        times.restoreDone.set(c.spec.label, r === null ? null : r - t1);
        times.steps.push(recoverySteps(c.traceFile, t1, at === null || at === undefined || !Number.isFinite(at) ? null : at));
      }
      if (at === null) log(`heal trial ${k}: ${c.spec.label} did not run the typed command within ${RECOVER_TIMEOUT_MS / 1000} s; screen:\n${c.pty.screenText()}`);
    });
    log(`heal ${fault.id} trial ${k}: recovery ${[...times.recover].map(([l, v]) => `${l}=${v === null ? '-' : Math.round(v)}`).join(' ')}`);
    return times;
  } finally {
    for (const c of clients) c.pty.kill();
    if (!undone) await fault.undo(lab).catch(() => undefined);
    await resetLab(lab);
  }
}

/** Runs `n` trials of each fault and returns the detection table (blackhole), one recovery table per fault, and the trace breakdown. */
export async function runHeal(lab: Lab, specs: readonly ClientSpec[], n: number, faults: readonly BenchFault[] = FAULTS): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const steps: RecoverySteps[] = [];
  let tetherCommand = 'tether';
  for (const fault of faults) {
    const commands = new Map<string, string>();
    const used = specs.filter((s) => s.kind !== 'mosh' || fault.mosh);
    const trials: TrialTimes[] = [];
    for (let k = 0; k < n; k++) trials.push(await trial(lab, fault, used, k, commands));
    for (const t of trials) steps.push(...t.steps);
    tetherCommand = commands.get('tether') ?? tetherCommand;
    if (fault.id === 'blackhole') out.push(detectTable(trials, used, commands));
    out.push(recoverTable(fault, trials, used, commands, specs.some((s) => s.kind === 'mosh') && !fault.mosh));
  }
  out.push(recoveryTraceTable(steps, tetherCommand));
  return out;
}

const col = (trials: readonly TrialTimes[], m: 'detect' | 'detectDead' | 'recover' | 'restoreDone', label: string): (number | null)[] => trials.map((t) => t[m].get(label) ?? null);

/** Detection while typing into a blackholed path. */
function detectTable(trials: readonly TrialTimes[], specs: readonly ClientSpec[], commands: Map<string, string>): BenchResult {
  const cmd = (label: string): string => commands.get(label) ?? label;
  const rows: Row[] = [];
  for (const s of specs) {
    const c = (m: 'detect' | 'detectDead'): ReturnType<typeof summarize> => summarize(col(trials, m, s.label));
    if (s.kind === 'tether') {
      rows.push({ tool: 'tether (suspect: path checked)', command: cmd(s.label), summary: c('detect') });
      rows.push({ tool: 'tether (dead: reconnecting)', command: cmd(s.label), summary: c('detectDead'), targeted: true });
    } else if (s.kind === 'ssh-loop') {
      rows.push({ tool: 'ssh -o ServerAliveInterval=5 -o ServerAliveCountMax=3', command: cmd(s.label), summary: c('detect'), baseline: true, note: 'time until ssh exits ("Timeout, server not responding")' });
    } else {
      rows.push({ tool: s.label, command: cmd(s.label), summary: c('detect'), note: s.kind === 'mosh' ? 'mosh shows "Last contact"/"Connecting"; it keeps the session, nothing is closed' : 'its ssh child exits (ServerAlive)' });
    }
  }
  return {
    id: 'detect',
    title: 'Dead-link detection while typing (path blackholed, Enter typed at t0)',
    unit: 'ms',
    target: { kind: 'max', value: 1000, text: 'tether declares the link dead ≤ 1 s (median) on a LAN path' },
    rows,
    notes: [
      'All clients run at the same time in the lab (client ns → firewall ns → server ns, real sshd 9.2 + tmux); at t0 the firewall drops everything (ICMP too) and Enter is typed into every client.',
      'tether: times of the first `suspect` and dead (`-> reconnecting`) events in its TETHER_DEBUG_LOG trace (suspect after max(400 ms, RTO) of silence; then probes of the port every 100 ms: none answering within max(400 ms, RTO) = dead); OpenSSH/autossh: time until "Timeout, server … not responding" (or another disconnect message) is on the pty; mosh: time until its "Last contact"/"Connecting" notice is on screen.',
    ],
  };
}

/** Recovery after one fault: the fault undone → a typed command's output on the screen. */
function recoverTable(fault: BenchFault, trials: readonly TrialTimes[], specs: readonly ClientSpec[], commands: Map<string, string>, moshLeftOut: boolean): BenchResult {
  const cmd = (label: string): string => commands.get(label) ?? label;
  const rows: Row[] = [];
  for (const s of specs) {
    const c = (m: 'recover' | 'restoreDone'): ReturnType<typeof summarize> => summarize(col(trials, m, s.label));
    if (s.kind === 'tether') {
      rows.push({ tool: 'tether (typed command ran)', command: cmd(s.label), summary: c('recover'), targeted: true });
      rows.push({ tool: 'tether (trace: restore-done)', command: cmd(s.label), summary: c('restoreDone') });
    } else {
      rows.push({ tool: s.label, command: cmd(s.label), summary: c('recover'), ...(s.kind === 'ssh-loop' ? { baseline: true } : {}) });
    }
  }
  const id = fault.id === 'blackhole' ? 'recover' : `recover-${fault.id}`;
  return {
    id,
    title: `Recovery after ${fault.title}: fault undone → a typed command runs in the same shell`,
    unit: 'ms',
    target: { kind: 'max', value: 200, text: 'tether ≤ 200 ms (median), never > 500 ms' },
    rows,
    notes: [
      'The fault is undone 2–6 s (uniformly random) after the slowest client noticed it (or after 45 s), so every client sees the same outage and no client\'s retry timer is in phase with the restore.',
      'From the moment the fault is undone, `echo mark-$((B+i))` is typed every 500 ms into every client; the time is when the first result (the digits, never the echoed input) is on the screen. For the tmux-based clients that is the same tmux session as before the outage; mosh keeps its own session. "ssh (alone)" exits and is not in the table: the user has to reconnect by hand.',
      `A client that had not run the command ${RECOVER_TIMEOUT_MS / 1000} s after the fault was undone counts as failed (column "failed").`,
      ...(moshLeftOut ? ['mosh is not in this table: once started, its UDP session uses neither port 22 nor sshd, so this fault does not touch it.'] : []),
    ],
  };
}
