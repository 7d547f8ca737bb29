// One recovery broken down by step, read from tether's TETHER_DEBUG_LOG trace: path back → probe answered → new link
// up (TCP, key exchange, authentication) → restore done → the typed command's output on screen.
import { existsSync, readFileSync } from 'node:fs';
import { summarize } from './stats.js';
import type { BenchResult, Row } from './results.js';

/** The steps of one recovery, in ms; null when the trace did not show the step. */
export interface RecoverySteps {
  /** The fault undone → a probe got sshd's banner (or an interface came back). */
  probe: number | null;
  /** → the new link connected and authenticated (the attempt that won). */
  link: number | null;
  tcp: number | null;
  kex: number | null;
  auth: number | null;
  /** → restore-done (shell channel, tmux attach, the server facts the restore waits for). */
  restore: number | null;
  /** → the typed command's output on the screen (held keys flushed, run, echoed). */
  output: number | null;
}

interface TraceLine {
  at: number;
  text: string;
}

function lines(file: string, since: number): TraceLine[] {
  if (!existsSync(file)) return [];
  const out: TraceLine[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const sp = line.indexOf(' ');
    const at = Date.parse(line.slice(0, sp));
    if (Number.isFinite(at) && at >= since) out.push({ at, text: line.slice(sp + 1) });
  }
  return out;
}

/** The steps of the recovery that began when the fault was undone at `t1` and ended with the output at `outputAt`. */
export function recoverySteps(file: string, t1: number, outputAt: number | null): RecoverySteps {
  const ls = lines(file, t1 - 1);
  const first = (re: RegExp): TraceLine | undefined => ls.find((l) => re.test(l.text));
  const probe = first(/"type":"probe-result"[^}]*"ok":true|"type":"network-changed"/);
  const link = first(/"type":"(attempt-succeeded|candidate-ready)"/);
  const restore = first(/"type":"restore-done"/);
  const timing = link ? /"timing":(\{[^}]*\})/.exec(link.text)?.[1] : undefined;
  const t = timing ? (JSON.parse(timing) as { tcpConnectMs?: number; handshakeMs?: number; authMs?: number }) : {};
  const since = (a: TraceLine | undefined, b: number | undefined): number | null => (a === undefined || b === undefined ? null : a.at - b);
  return {
    probe: since(probe, t1),
    link: since(link, probe?.at ?? t1),
    tcp: t.tcpConnectMs ?? null,
    kex: t.handshakeMs ?? null,
    auth: t.authMs ?? null,
    restore: since(restore, link?.at),
    output: outputAt === null || restore === undefined ? null : outputAt - restore.at,
  };
}

/** The breakdown table: the median of each step over every tether recovery of the run. */
export function recoveryTraceTable(all: readonly RecoverySteps[], command: string): BenchResult {
  const col = (k: keyof RecoverySteps): (number | null)[] => all.map((s) => s[k]);
  const row = (tool: string, k: keyof RecoverySteps, note?: string): Row => ({ tool, command, summary: summarize(col(k)), ...(note ? { note } : {}) });
  return {
    id: 'recover-trace',
    title: 'Where tether\'s recovery time goes (every recovery of the run, by step)',
    unit: 'ms',
    target: { kind: 'none', text: 'none; the steps add up to the recovery tables\' tether rows' },
    rows: [
      row('1. fault undone → a probe gets sshd\'s banner', 'probe', 'probes every 50 ms in an outage\'s first 30 s, overlapping; that probe\'s socket carries the new link'),
      row('2. → the new link is up', 'link', 'from the probe (an attempt opened earlier may win)'),
      row('2a. of which TCP connect', 'tcp', 'of the winning attempt (0: it ran on the probe\'s socket)'),
      row('2b. of which key exchange', 'kex'),
      row('2c. of which authentication', 'auth'),
      row('3. → restore done', 'restore', 'shell channel, tmux attach, and the server facts the restore waits for'),
      row('4. → the typed command\'s output on screen', 'output', 'held keys flushed once tmux drew, run, drawn'),
    ],
    notes: [
      'From tether\'s TETHER_DEBUG_LOG trace (wall-clock ms) of every tether trial of the recovery tables above; the last step is the bench\'s own screen watch.',
      'Step 2 starts at the probe that saw the path back; when an attempt opened before that wins, step 2 is short and 2a–2c describe that older attempt.',
    ],
  };
}
