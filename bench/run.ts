// `npm run bench [-- --quick] [-- --only=heal,loss,idle,screen,startup] [-- --faults=blackhole,rst,...] [-- --mib=N]
// [-- --no-write]`: tether side by side
// with OpenSSH, autossh and mosh in the fault lab; writes bench/results/latest.json and regenerates BENCHMARKS.md from
// it (--no-write: only prints the tables, e.g. for one section).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab, labAvailable } from '../test/lab/index.js';
import type { Lab } from '../test/lab/index.js';
import { quietTmux } from '../test/helpers/tether-lab.js';
import { FAULTS } from './faults.js';
import { healClients, runHeal } from './heal.js';
import { idleClients, runIdle } from './idle.js';
import { runLoss } from './loss.js';
import { openMoshPorts } from './mosh.js';
import { renderMarkdown } from './report.js';
import type { BenchResult, RunResults } from './results.js';
import { runScreen } from './screen.js';
import { runStartup } from './startup.js';
import { log } from './util.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The whole run is abandoned (lab disposed, exit 1) after this long. */
const WATCHDOG_MS = 90 * 60_000;

/** Command-line settings. */
interface Settings {
  quick: boolean;
  only: Set<string>;
  /** The faults of the healing section (faults.ts ids). */
  faults: Set<string>;
  mib: number;
  /** Print only: leave latest.json and BENCHMARKS.md alone. */
  write: boolean;
}

function parseArgs(argv: readonly string[]): Settings {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const mibArg = argv.find((a) => a.startsWith('--mib='));
  const faultsArg = argv.find((a) => a.startsWith('--faults='));
  return {
    quick,
    only: new Set((onlyArg?.slice(7) ?? 'heal,loss,idle,screen,startup').split(',')),
    faults: new Set((faultsArg?.slice(9) ?? FAULTS.map((f) => f.id).join(',')).split(',')),
    mib: mibArg ? Number(mibArg.slice(6)) : quick ? 256 : 1024,
    write: !argv.includes('--no-write'),
  };
}

/** First line of a command's output (stdout, else stderr: `ssh -V` writes there), or 'not installed'. */
function version(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) return 'not installed';
  const line = (r.stdout.trim() !== '' ? r.stdout : r.stderr).split('\n')[0]?.trim();
  return line !== undefined && line !== '' ? line : 'unknown version';
}

/** Whether a program is on PATH. */
function has(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const s = parseArgs(process.argv.slice(2));
  const avail = await labAvailable();
  if (!avail.ok) {
    process.stderr.write(`bench: the fault lab cannot run here: ${avail.why}\n`);
    process.exit(2);
  }
  const started = Date.now();
  const load0 = loadavg();
  const withAutossh = has('autossh');
  const withMosh = has('mosh') && has('mosh-server');
  if (!withMosh) process.stderr.write('bench: mosh is not installed (apt-get install mosh): its rows are left out\n');
  const benchmarks: BenchResult[] = [];
  let lab: Lab | undefined;
  const watchdog = setTimeout(() => {
    process.stderr.write('bench: watchdog: the run took too long, giving up\n');
    lab?.disposeSync();
    process.exit(1);
  }, WATCHDOG_MS);
  try {
    lab = await createLab();
    quietTmux(lab);
    if (withMosh) await openMoshPorts(lab);
    if (s.only.has('heal')) {
      const n = s.quick ? 2 : 5;
      const faults = FAULTS.filter((f) => s.faults.has(f.id));
      log(`heal: ${n} trials of ${faults.map((f) => f.id).join(', ')} (tether, ssh loop${withAutossh ? ', autossh' : ''}${withMosh ? ', mosh' : ''})`);
      benchmarks.push(...(await runHeal(lab, healClients(withAutossh, withMosh), n, faults)));
    }
    if (s.only.has('loss')) benchmarks.push(await runLoss(lab, healClients(withAutossh, withMosh), s.quick ? 120 : 600));
    if (s.only.has('idle')) benchmarks.push(...(await runIdle(lab, idleClients(withAutossh, withMosh), s.quick ? 45 : 120)));
    if (s.only.has('screen')) benchmarks.push(...(await runScreen(lab, { keys: s.quick ? 40 : 120, mib: s.mib, reps: s.quick ? 1 : 3 })));
    if (s.only.has('startup')) benchmarks.push(...(await runStartup(lab, s.quick ? 8 : 20)));
  } finally {
    clearTimeout(watchdog);
    await lab?.dispose();
  }
  const args = process.argv.slice(2);
  const res: RunResults = {
    date: new Date().toISOString(),
    command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
    quick: s.quick,
    durationS: (Date.now() - started) / 1000,
    machine: {
      nproc: cpus().length,
      node: process.version,
      ssh: version('ssh', ['-V']),
      kernel: release(),
      loadavgStart: load0,
      loadavgEnd: loadavg(),
      tools: {
        autossh: withAutossh ? version('autossh', ['-V']) : 'not installed',
        mosh: withMosh ? version('mosh', ['--version']) : 'not installed',
        tmux: version('tmux', ['-V']),
        // the start-up section reads peak RSS through GNU time (Debian package `time`)
        time: version('/usr/bin/time', ['--version']),
      },
    },
    benchmarks,
  };
  if (!s.write) {
    process.stdout.write(`${renderMarkdown(res)}\n--no-write: bench/results/latest.json and BENCHMARKS.md left as they were\n`);
    return;
  }
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'latest.json'), `${JSON.stringify(res, null, 2)}\n`);
  // the fuzz and soak sections come from `npm run fuzz`/`npm run soak` (scripts/bench-section.mjs): kept as last written
  const own = ['fuzz', 'soak'].map((n) => join(ROOT, 'bench', 'results', `${n}.md`)).filter((f) => existsSync(f));
  writeFileSync(join(ROOT, 'BENCHMARKS.md'), [renderMarkdown(res), ...own.map((f) => readFileSync(f, 'utf8'))].join('\n'));
  process.stdout.write(`${renderMarkdown(res)}\nwrote bench/results/latest.json and BENCHMARKS.md\n`);
}

await main();
