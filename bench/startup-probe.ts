// Runs inside the lab's client namespace (spawned by bench/startup.ts): times commands in alternating order, so
// that ssh and tether see the same machine load, and reads each one's peak RSS through GNU time. Prints JSON.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One command to time. */
export interface ProbeCommand {
  label: string;
  argv: string[];
  env: Record<string, string>;
}

/** What the probe is asked to do. */
export interface ProbeSpec {
  /** Timed runs of every command (after one untimed warm-up run each). */
  runs: number;
  /** Extra runs of every command under `/usr/bin/time -f %M` for the peak RSS (not timed). */
  rssRuns: number;
  commands: ProbeCommand[];
}

/** Per command: wall times (ms), peak RSS (KiB), and why failed runs failed. */
export type ProbeResult = Record<string, { wallMs: (number | null)[]; rssKiB: (number | null)[]; errors: string[] }>;

/** Runs argv to completion; the wall time in ms, or an error text when it did not exit 0 or wrote to stderr. */
function timed(c: ProbeCommand): number | string {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c.argv[0] as string, c.argv.slice(1), { env: c.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 || (r.stderr.length > 0 && !/^OpenSSH_/.test(r.stderr.toString()))) {
    return `exit ${String(r.status ?? r.signal)}: ${r.stderr.toString().trim().slice(0, 200)}`;
  }
  return ms;
}

/** Peak RSS in KiB of one run (GNU time's %M: the largest resident set of the process it ran). */
function peakRss(c: ProbeCommand, dir: string): number | string {
  const out = join(dir, 'rss');
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', out, ...c.argv], { env: c.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  if (r.status !== 0) return `exit ${String(r.status ?? r.signal)}: ${r.stderr.toString().trim().slice(0, 200)}`;
  const kib = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
  return Number.isFinite(kib) ? kib : 'no %M from /usr/bin/time';
}

function main(): void {
  const spec = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as ProbeSpec;
  const res: ProbeResult = {};
  for (const c of spec.commands) res[c.label] = { wallMs: [], rssKiB: [], errors: [] };
  const record = (c: ProbeCommand, v: number | string, into: 'wallMs' | 'rssKiB'): void => {
    const slot = res[c.label];
    if (!slot) return;
    if (typeof v === 'number') slot[into].push(v);
    else {
      slot[into].push(null);
      slot.errors.push(v);
    }
  };
  for (const c of spec.commands) timed(c); // warm-up: page cache, sshd's first fork
  for (let i = 0; i < spec.runs; i++) {
    // rotate the order each round so no command always runs right after another
    const order = spec.commands.map((_, j) => spec.commands[(i + j) % spec.commands.length] as ProbeCommand);
    for (const c of order) record(c, timed(c), 'wallMs');
  }
  const dir = mkdtempSync(join(tmpdir(), 'tether-bench-rss-'));
  try {
    for (let i = 0; i < spec.rssRuns; i++) for (const c of spec.commands) record(c, peakRss(c, dir), 'rssKiB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(res)}\n`);
}

main();
