// `tether demo`: an embedded SSH server on 127.0.0.1, tether connected to it, and the link broken every few seconds.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TetherError } from '../../common/errors.js';
import { readResets, resetsPath } from '../../history/log.js';
import { localContext } from '../local-context.js';
import { FaultSchedule } from './faults.js';
import { startDemoWorld } from './setup.js';
import { demoSummary } from './summary.js';
import type { InjectedFault } from './summary.js';

/** The Host alias the demo connects to: its resets stay in the user's history under this name. */
export const DEMO_HOST = 'tether-demo';

/** What `tether demo` accepts. */
export interface DemoArgs {
  /** Seconds between breaks (0 = never break). */
  everySec: number;
}

/** `tether demo --help`. */
export const DEMO_USAGE =
  'usage: tether demo [--every SECONDS]\n' +
  '  Runs tether against an embedded SSH server on 127.0.0.1 and breaks the link every SECONDS (default 8)\n' +
  '  with a rotating fault: firewall reset, packet loss, sshd restart, MaxStartups. Type ~. to quit.\n' +
  '  Its resets stay in your history under the host tether-demo: tether history tether-demo';

/** Parses the demo's options; throws a usage error. */
export function parseDemoArgs(args: readonly string[]): DemoArgs | 'help' {
  let everySec = 8;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-h' || a === '--help') return 'help';
    let value: string | undefined;
    if (a === '--every') value = args[++i];
    else if (a.startsWith('--every=')) value = a.slice('--every='.length);
    else throw new TetherError('usage', `tether demo: unknown option '${a}'\n${DEMO_USAGE}`);
    const n = value === undefined ? NaN : Number(value);
    if (!Number.isFinite(n) || n < 0 || (n > 0 && n < 1)) {
      throw new TetherError('usage', `tether demo: --every wants a number of seconds (0, or at least 1), not '${value ?? ''}'`);
    }
    everySec = n;
  }
  return { everySec };
}

/** bin/tether, from this file's place in dist/ (or src/ under tsx). */
function tetherBin(): string {
  return fileURLToPath(new URL('../../../bin/tether', import.meta.url));
}

/** Runs the demo; resolves to tether's exit status. Everything it started is gone when it resolves. */
export async function runDemo(args: string[]): Promise<number> {
  const parsed = parseDemoArgs(args);
  if (parsed === 'help') {
    process.stdout.write(`${DEMO_USAGE}\n`);
    return 0;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write('tether demo: needs a terminal (stdin and stdout on a tty)\n');
    return 1;
  }
  const world = await startDemoWorld({
    // ping every 2 s so a silent path is noticed within seconds even while nobody types
    extraSshArgs: ['-o', 'ServerAliveInterval=2'],
    remoteEnv: { LANG: 'C.UTF-8' },
    alias: DEMO_HOST,
  });
  // the user's own history: `tether history` shows afterwards what the demo showed
  const historyFile = resetsPath(process.env, localContext(process.env).home);
  let child: ChildProcess | undefined;
  /** The faults injected so far, for the closing summary. */
  const injected: InjectedFault[] = [];
  const startedAt = Date.now();
  /** The signal that ended the demo, if one did (after a hangup there is no terminal to print to). */
  let signalled: NodeJS.Signals | undefined;
  const schedule = new FaultSchedule(
    {
      reset: () => world.proxy.inject('reset'),
      inject: (f) => world.proxy.inject(f),
      heal: () => {
        world.proxy.heal();
        world.server.start();
      },
      stopServer: () => world.server.stop(),
    },
    parsed.everySec * 1000,
    { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    undefined,
    (step) => injected.push({ at: Date.now(), imitates: step.imitates }),
  );
  // a signal to the demo ends tether first (it restores the terminal), then the world
  const onSignal = (sig: NodeJS.Signals): void => {
    signalled = sig;
    if (child && child.exitCode === null && child.signalCode === null) child.kill(sig === 'SIGINT' ? 'SIGTERM' : sig);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  try {
    const every = parsed.everySec > 0 ? `the link will break every ${parsed.everySec} s` : 'the link will not be broken (--every 0)';
    process.stdout.write(`tether demo: an embedded SSH server on 127.0.0.1:${world.proxy.port}; ${every}; type ~. to quit\n`);
    const c = spawn(process.execPath, [tetherBin(), ...world.sshArgs], {
      stdio: 'inherit',
      env: process.env,
    });
    child = c;
    const exited = new Promise<number>((resolve) => {
      c.on('error', (err) => {
        process.stderr.write(`tether demo: cannot start tether: ${err.message}\n`);
        resolve(255);
      });
      c.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 255)));
    });
    schedule.start();
    const code = await exited;
    schedule.stop();
    if (signalled !== 'SIGHUP') process.stdout.write(await summary(historyFile, startedAt, injected));
    return code;
  } finally {
    schedule.stop();
    for (const s of signals) process.off(s, onSignal);
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await world.close();
  }
}

/** What happened: each fault and tether's word on it, from this run's records in the history. */
async function summary(historyFile: string, startedAt: number, injected: readonly InjectedFault[]): Promise<string> {
  const all = await readResets(historyFile, () => undefined).catch(() => []);
  const records = all.filter((r) => r.host === DEMO_HOST && Date.parse(r.detectedAt) >= startedAt);
  const where = records.length > 0 ? `\nthey stay in your history: tether history ${DEMO_HOST}\n` : '\n';
  return `${demoSummary(startedAt, injected, records).join('\n')}${where}`;
}

/** The number of a signal name, for the shell's 128+n convention. */
function signalNumber(sig: NodeJS.Signals): number {
  const table: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
  return table[sig] ?? 0;
}

