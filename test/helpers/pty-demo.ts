// Starts test/fixtures/ui-demo.ts in a real pty, with its control socket and a scratch directory.
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PtyDriver } from './pty-driver.js';

/** The repository root (the fixture and tsx are resolved from here). */
export const ROOT = resolve(import.meta.dirname, '../..');
const DEMO = join(ROOT, 'test/fixtures/ui-demo.ts');

/** How to start the demo. */
export interface DemoOptions {
  cols?: number;
  rows?: number;
  /** Extra demo flags (`--no-status`, `--escape ^]`). */
  flags?: string[];
  /** The "remote" command; default an interactive bash with prompt `demo$ `. */
  cmd?: string[];
  env?: Record<string, string>;
  /** Shell commands run in the pty before the demo starts (e.g. to leave the cursor mid-screen). */
  before?: string;
}

/** A running demo: the pty driver, scripted state changes, and the scratch dir. */
export interface Demo {
  d: PtyDriver;
  dir: string;
  /** Sends one control command and waits for the demo to apply it. */
  control(cmd: object): Promise<void>;
  /** `stty -a` of the pty before the demo started and after it ended (after exit only). */
  sttyBeforeAfter(): { before: string; after: string };
  /** Kills everything by PID and removes the scratch dir. */
  close(): void;
}

/** The argv that runs the demo (node, tsx, the fixture, its flags, `--`, the "remote" command). */
export function demoArgv(sock: string, flags: string[] = [], cmd = ['bash', '--norc', '--noprofile', '-i']): string[] {
  return [process.execPath, '--import', 'tsx', DEMO, '--control', sock, ...flags, '--', ...cmd];
}

/** Shell-quotes one word. */
export function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Runs `stty -a > before; demo; stty -a > after` in a pty, so terminal modes can be compared. */
export async function startDemo(opts: DemoOptions = {}): Promise<Demo> {
  const dir = mkdtempSync(join(tmpdir(), 'tether-e2e-'));
  const sock = join(dir, 'control.sock');
  const demo = demoArgv(sock, opts.flags, opts.cmd);
  const script = `${opts.before ?? ''}${opts.before ? '; ' : ''}stty -a > ${q(join(dir, 'before'))}; ${demo.map(q).join(' ')}; echo "demo-exit=$?"; stty -a > ${q(join(dir, 'after'))}; echo "stty-saved"`;
  const d = new PtyDriver('/bin/sh', ['-c', script], {
    cols: opts.cols ?? 80,
    rows: opts.rows ?? 24,
    cwd: ROOT,
    env: { BASH_SILENCE_DEPRECATION_WARNING: '1', ...opts.env },
  });
  let socket: Socket | null = null;
  let replies = '';
  const waiting: (() => void)[] = [];
  const open = async (): Promise<Socket> => {
    if (socket) return socket;
    await d.waitFor(() => existsSync(sock), 20_000, 'the demo control socket');
    const s = connect(sock);
    await new Promise<void>((res, rej) => s.once('connect', res).once('error', rej));
    s.on('data', (b) => {
      replies += b.toString();
      while (replies.includes('\n') && waiting.length > 0) {
        replies = replies.slice(replies.indexOf('\n') + 1);
        waiting.shift()?.();
      }
    });
    socket = s;
    return s;
  };
  return {
    d,
    dir,
    async control(cmd: object): Promise<void> {
      const s = await open();
      await new Promise<void>((res) => {
        waiting.push(res);
        s.write(JSON.stringify(cmd) + '\n');
      });
    },
    sttyBeforeAfter() {
      return { before: readFileSync(join(dir, 'before'), 'utf8'), after: readFileSync(join(dir, 'after'), 'utf8') };
    },
    close() {
      socket?.destroy();
      d.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
