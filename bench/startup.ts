// Start-up: `host true` wall time and peak RSS, and `--version`, tether against OpenSSH in the same run. The timing
// happens inside the lab's client namespace (bench/startup-probe.ts), so no `ip netns exec` is in the numbers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../test/lab/index.js';
import { sshArgv, spawnNodeInClient } from '../test/lab/index.js';
import { REPO } from '../test/helpers/tether-lab.js';
import type { BenchResult, Row } from './results.js';
import type { ProbeCommand, ProbeResult, ProbeSpec } from './startup-probe.js';
import { summarize } from './stats.js';
import { log } from './util.js';

/** The environment every command gets: no agent, fresh tether state and config (nothing learned). */
function baseEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: process.env.HOME ?? '/root',
    LANG: 'C.UTF-8',
    XDG_STATE_HOME: join(home, 'state'),
    XDG_CONFIG_HOME: join(home, 'config'),
  };
}

/** Runs the probe in the client namespace and returns what it measured. */
async function probe(lab: Lab, dir: string, spec: ProbeSpec, name: string): Promise<ProbeResult> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(spec));
  const child = spawnNodeInClient(lab, 'bench/startup-probe.ts', [file]);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  // 'close', not 'exit': stdout is read to its end
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  if (code !== 0) throw new Error(`startup probe exited ${String(code)}: ${err.trim()}`);
  return JSON.parse(out) as ProbeResult;
}

/** The failures of a command, for the row's note. */
function failures(r: ProbeResult[string] | undefined): string {
  if (!r || r.errors.length === 0) return '';
  return `failed runs: ${[...new Set(r.errors)].slice(0, 2).join('; ')}`;
}

/** `host true` (runs paired per round, rotating order), `--version` and the peak RSS; three tables. */
export async function runStartup(lab: Lab, runs: number): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tether-bench-startup-'));
  try {
    const env = baseEnv(dir);
    const { args } = sshArgv(lab, ['true']);
    const tether = join(REPO, 'bin', 'tether');
    const dest = `${lab.user}@${lab.serverAddr}`;
    const hostTrue: ProbeCommand[] = [
      { label: 'ssh', argv: ['ssh', ...args], env },
      { label: 'ssh curve25519', argv: ['ssh', '-o', 'KexAlgorithms=curve25519-sha256', ...args], env },
      { label: 'tether', argv: [tether, ...args], env },
    ];
    const version: ProbeCommand[] = [
      { label: 'ssh -V', argv: ['ssh', '-V'], env },
      { label: 'tether --version', argv: [tether, '--version'], env },
      { label: 'node -e 0', argv: [process.execPath, '-e', '0'], env },
    ];
    log(`startup: host true, ${runs} rounds of ${hostTrue.map((c) => c.label).join(' / ')}`);
    const h = await probe(lab, dir, { runs, rssRuns: 5, commands: hostTrue }, 'host-true');
    log(`startup: --version, ${runs * 2} rounds`);
    const v = await probe(lab, dir, { runs: runs * 2, rssRuns: 5, commands: version }, 'version');
    const wall = (r: ProbeResult, label: string): (number | null)[] => r[label]?.wallMs ?? [];
    const mib = (r: ProbeResult, label: string): (number | null)[] => (r[label]?.rssKiB ?? []).map((k) => (k === null ? null : k / 1024));
    const hostRows: Row[] = [
      { tool: 'ssh', command: `ssh ${dest} true`, summary: summarize(wall(h, 'ssh')), baseline: true, note: failures(h.ssh) || 'key exchange sntrup761x25519-sha512 (OpenSSH 9.2\'s default)' },
      { tool: 'ssh -o KexAlgorithms=curve25519-sha256', command: `ssh -o KexAlgorithms=curve25519-sha256 ${dest} true`, summary: summarize(wall(h, 'ssh curve25519')), note: failures(h['ssh curve25519']) || 'the key exchange tether (ssh2) negotiates; for reference' },
      { tool: 'tether', command: `tether ${dest} true`, summary: summarize(wall(h, 'tether')), targeted: true, note: failures(h.tether) || 'key exchange curve25519-sha256' },
    ];
    const versionRows: Row[] = [
      { tool: 'ssh -V', command: 'ssh -V', summary: summarize(wall(v, 'ssh -V')), baseline: true, note: failures(v['ssh -V']) },
      { tool: 'tether --version', command: 'tether --version', summary: summarize(wall(v, 'tether --version')), targeted: true, note: failures(v['tether --version']) },
      { tool: 'node -e 0', command: `${process.execPath} -e 0`, summary: summarize(wall(v, 'node -e 0')), note: failures(v['node -e 0']) || 'Node.js starting and exiting: the floor of any Node program on this machine' },
    ];
    const rssRows: Row[] = [
      { tool: 'ssh', command: `ssh ${dest} true`, summary: summarize(mib(h, 'ssh')), baseline: true },
      { tool: 'tether', command: `tether ${dest} true`, summary: summarize(mib(h, 'tether')), targeted: true },
      { tool: 'node -e 0', command: `${process.execPath} -e 0`, summary: summarize(mib(v, 'node -e 0')), note: 'Node.js alone: the floor of any Node program on this machine' },
    ];
    const how = `Every command ran inside the lab's client namespace, timed by bench/startup-probe.ts (spawnSync, wall clock from spawn to exit); one untimed warm-up run each, then ${runs} rounds (${runs * 2} for --version) in which every command runs once, the order rotating each round, so all see the same machine load.`;
    return [
      {
        id: 'startup-host-true',
        title: 'Start-up: `host true` (connect, authenticate, run true, exit)',
        unit: 'ms',
        target: { kind: 'ratio', value: 1.1, text: 'tether ≤ 1.1 × ssh' },
        rows: hostRows,
        notes: [
          how,
          'tether and ssh had the same options (`-F /dev/null -o BatchMode=yes`, the lab key and known_hosts, as listed at the top); tether also had fresh XDG_STATE_HOME/XDG_CONFIG_HOME. Both run the same `ssh -G` parse: tether reads its configuration from `ssh -G` before it connects.',
          'OpenSSH 9.2 negotiates the post-quantum hybrid sntrup761x25519 by default, which costs it CPU time that tether (ssh2: curve25519 only) does not spend; the curve25519 row shows ssh with the same key exchange as tether.',
        ],
      },
      {
        id: 'startup-version',
        title: 'Start-up: `--version`',
        unit: 'ms',
        target: { kind: 'max', value: 60, text: 'tether --version ≤ 60 ms' },
        rows: versionRows,
        notes: [how, 'No network: what the process costs to start and exit.'],
      },
      {
        id: 'startup-rss',
        title: 'Start-up: peak RSS of `host true`',
        unit: 'MiB',
        target: { kind: 'max', value: 45, text: 'tether ≤ 45 MiB' },
        rows: rssRows,
        notes: ['GNU time\'s %M (the process\'s largest resident set, shared library pages included) over 5 runs each of the `host true` commands above and of `node -e 0`.'],
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
