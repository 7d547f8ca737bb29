// Benchmark 4 (issue 5): keystroke-to-echo latency and bulk output, tether vs OpenSSH, one client at a time.
// Latency: `cat` in the remote shell (cooked mode: the remote tty echoes), one key every 40 ms; the time from the
// write into the local pty to the first raw output chunk containing that key. Bulk: `yes <line> | head -c N` on the
// remote; node-pty drains the local pty (no screen model), timed until the shell's `done-42` marker arrives.
import type { Lab } from '../test/lab/index.js';
import { startClient, PROMPT } from './clients.js';
import type { Client, ClientSpec } from './clients.js';
import { nowMs } from './pty-session.js';
import { summarize } from './stats.js';
import type { BenchResult, Row } from './results.js';
import { log, resetLab, sleep } from './util.js';

/** Keys that never appear in tether's status bar or a prompt, so a match is the echo. */
const KEYS = 'QZXJKWVY';

/** Clients compared: OpenSSH plain and into tmux; tether with tmux (the default) and without. */
export function screenClients(): ClientSpec[] {
  return [
    { kind: 'ssh', label: 'ssh -tt (plain shell)', aliveInterval: 0 },
    { kind: 'ssh-tmux', label: 'ssh -tt + tmux', aliveInterval: 0, tag: 'screen' },
    { kind: 'tether', label: 'tether (tmux + status bar, default)' },
    { kind: 'tether-no-tmux', label: 'tether --no-tmux (status bar)' },
  ];
}

/** Times `count` keystrokes echoed by `cat`; returns their latencies in ms (null: no echo within 2 s). */
async function echoLatencies(c: Client, count: number): Promise<(number | null)[]> {
  c.pty.write('cat\r');
  await sleep(800);
  const out: (number | null)[] = [];
  for (let i = 0; i < count; i++) {
    const key = KEYS[i % KEYS.length] as string;
    const at = await new Promise<number | null>((resolve) => {
      const t0 = nowMs();
      const timer = setTimeout(() => {
        off();
        resolve(null);
      }, 2000);
      const off = c.pty.onRaw((d, when) => {
        if (d.includes(key)) {
          clearTimeout(timer);
          off();
          resolve(when - t0);
        }
      });
      c.pty.write(key);
    });
    out.push(at);
    await sleep(at === null ? 200 : 40);
    if (i % 30 === 29) {
      c.pty.write('\r');
      await sleep(300);
    }
  }
  c.pty.write('\x03');
  await sleep(500);
  return out;
}

/** Streams `mib` MiB of text `reps` times; returns seconds per run (null: no marker within the timeout). */
async function streamTimes(lab: Lab, c: Client, mib: number, reps: number): Promise<{ secs: (number | null)[]; received: number[] }> {
  const out: (number | null)[] = [];
  const received: number[] = [];
  for (let r = 0; r < reps; r++) {
    const tag = 40 + r;
    const re = new RegExp(`done-${tag + 2}\\b`);
    c.pty.feedScreen = false;
    const bytes0 = c.pty.bytes;
    const t0 = nowMs();
    const end = c.pty.waitFor(re, 300_000, { raw: true });
    c.pty.write(`yes 'the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwx' | head -c ${mib}M; echo done-$((${tag}+2))\r`);
    const at = await end;
    c.pty.feedScreen = true;
    received.push((c.pty.bytes - bytes0) / 2 ** 20);
    out.push(at === null || !Number.isFinite(at) ? null : (at - t0) / 1000);
    log(`stream ${c.spec.label}: ${mib} MiB in ${at === null ? 'timeout' : ((at - t0) / 1000).toFixed(2)} s (${((c.pty.bytes - bytes0) / 2 ** 20).toFixed(1)} MiB reached the local pty)`);
    if (at === null) log(`stream ${c.spec.label}: no marker; sshd's log ends:\n${lab.sshdLog().split('\n').slice(-20).join('\n')}`);
    c.pty.write('clear\r');
    await sleep(1000);
  }
  return { secs: out, received };
}

/** Runs latency and streaming for each client in turn. */
export async function runScreen(lab: Lab, opts: { keys: number; mib: number; reps: number }): Promise<BenchResult[]> {
  const latRows: Row[] = [];
  const streamRows: Row[] = [];
  for (const spec of screenClients()) {
    const c = startClient(lab, spec, 100, 30);
    try {
      const ready = await c.pty.waitFor(PROMPT, 30_000);
      if (ready === null) log(`screen: ${spec.label} never showed a prompt:\n${c.pty.screenText()}`);
      await sleep(1500);
      const lat = await echoLatencies(c, opts.keys);
      log(`latency ${spec.label}: ${summarize(lat).median?.toFixed(2) ?? '-'} ms median`);
      const st = await streamTimes(lab, c, opts.mib, opts.reps);
      const isTether = spec.kind.startsWith('tether');
      const base = spec.kind === 'ssh' ? { baseline: true } : {};
      latRows.push({ tool: spec.label, command: c.command, summary: summarize(lat), ...base, ...(isTether ? { targeted: true } : {}) });
      const mibIn = st.received.length ? (st.received.reduce((a, b) => a + b, 0) / st.received.length).toFixed(1) : '?';
      streamRows.push({ tool: spec.label, command: c.command, summary: summarize(st.secs), note: `${mibIn} MiB reached the local pty per run`, ...base, ...(isTether ? { targeted: true } : {}) });
    } finally {
      c.pty.kill();
      await resetLab(lab);
    }
  }
  const med = (label: string): number | null => streamRows.find((r) => r.tool === label)?.summary.median ?? null;
  const tetherTmux = med('tether (tmux + status bar, default)');
  const sshTmux = med('ssh -tt + tmux');
  const likeForLike =
    tetherTmux !== null && sshTmux !== null
      ? [`Like for like, tether's default (tmux) takes ${(tetherTmux / sshTmux).toFixed(2)} × the time of "ssh -tt + tmux": what tmux costs, tether does not add to.`]
      : [];
  return [
    {
      id: 'echo',
      title: 'Keystroke-to-echo latency',
      unit: 'ms',
      target: { kind: 'added', value: 0.5, text: 'tether adds ≤ 0.5 ms (median) over plain ssh (issue 10)' },
      rows: latRows,
      notes: [
        'Over the lab path (client ns → firewall ns → server ns, veth, sub-millisecond RTT), one client at a time. `cat` runs in the remote shell; one key every 40 ms; the latency is from writing the key into the local pty to the first output chunk that contains it, as node-pty delivers it.',
        'tether\'s default wraps the shell in tmux (that is how it restores the same shell), so "ssh -tt + tmux" is the like-for-like baseline for the tmux cost; the "added" column is against plain ssh.',
      ],
    },
    {
      id: 'stream',
      title: `Bulk output: ${opts.mib} MiB of text to the screen`,
      unit: 's',
      target: { kind: 'ratio', value: 1.2, text: 'tether ≤ 1.2 × OpenSSH (median)' },
      rows: streamRows,
      notes: [
        `\`yes '<80-column line>' | head -c ${opts.mib}M; echo done-N\` in the remote shell; node-pty reads the local pty and discards the bytes (no terminal emulator on the reading side); time from typing the command to the marker.`,
        ...(opts.mib < 1024 ? [`${opts.mib} MiB rather than the 1 GiB of issue 5 (\`--quick\` or \`--mib=N\`); a full \`npm run bench\` streams 1 GiB.`] : []),
        'Everything runs on one 2-core machine: the client, the reader, sshd, the remote shell and (in the tmux rows) the tmux server share the two cores, so CPU that tmux spends rendering on the "server" is taken from the client here; on a real network the server has CPUs of its own.',
        'Under tmux the pane is rendered on the server and only screen updates travel (fewer bytes reach the local pty), so tmux rows are not byte-for-byte comparable with plain ssh; the ratio against plain ssh is what a user feels.',
        ...likeForLike,
      ],
    },
  ];
}
