// Runs the real bin/tether (built dist/) in a pty against the demo server and its fault relay, for e2e tests.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startDemoWorld } from '../../src/cli/demo/setup.js';
import type { DemoWorld, DemoWorldOptions } from '../../src/cli/demo/setup.js';
import { PtyDriver } from './pty-driver.js';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');
/** The entry point under test (runs dist/, so build first). */
export const TETHER_BIN = join(ROOT, 'bin/tether');

/** Whether dist/ holds the bundle bin/tether runs (`npm run build`). */
export function built(): boolean {
  return existsSync(join(ROOT, 'dist/tether.cjs'));
}

/** A tether session in a pty, inside `sh -c 'stty -a > before; tether ...; echo tether-exit=$?; stty -a > after'`. */
export interface TetherPty {
  world: DemoWorld;
  d: PtyDriver;
  /** XDG_STATE_HOME / XDG_CONFIG_HOME of the local tether. */
  stateHome: string;
  /** The session machine's trace (TETHER_DEBUG_LOG). */
  debugLog: string;
  /** `stty -a` before tether started and after it ended (after the exit only). */
  stty(): { before: string; after: string };
  /** The reset log's records (parsed lines). */
  resets(): Record<string, unknown>[];
  /** Kills the pty's process group by PID, closes the world (server, proxy, demo tmux, temp dir). */
  close(): Promise<void>;
}

/** Options: pty size, extra ssh options, demo world options. */
export interface TetherPtyOptions extends DemoWorldOptions {
  cols?: number;
  rows?: number;
  /** The bar pinned on the last row (these tests read it), or transient as by default for users. */
  pinBar?: boolean;
}

/** Shell-quotes one word. */
export function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The prompt of the demo's remote bash. */
export const PROMPT = /demo:[^\n]*[#$] $/m;

/** Starts the demo world and tether in a pty (it pings every 2 s: ServerAliveInterval=2). */
export async function startTether(opts: TetherPtyOptions = {}): Promise<TetherPty> {
  const world = await startDemoWorld({ ...opts, extraSshArgs: ['-o', 'ServerAliveInterval=2', ...(opts.extraSshArgs ?? [])] });
  const stateHome = join(world.dir, 'local');
  mkdirSync(join(stateHome, 'tether'), { recursive: true });
  writeFileSync(join(stateHome, 'tether', 'config.json'), JSON.stringify({ pinBar: opts.pinBar ?? true }), { mode: 0o600 });
  const debugLog = join(stateHome, 'debug.log');
  const before = join(stateHome, 'stty-before');
  const after = join(stateHome, 'stty-after');
  const tether = [process.execPath, TETHER_BIN, ...world.sshArgs].map(q).join(' ');
  const script = `stty -a > ${q(before)}; ${tether}; echo "tether-exit=$?"; stty -a > ${q(after)}; echo stty-saved`;
  const d = new PtyDriver('/bin/sh', ['-c', script], {
    cols: opts.cols ?? 80,
    rows: opts.rows ?? 24,
    cwd: ROOT,
    env: { XDG_STATE_HOME: stateHome, XDG_CONFIG_HOME: stateHome, TETHER_DEBUG_LOG: debugLog },
  });
  return {
    world,
    d,
    stateHome,
    debugLog,
    stty: () => ({ before: readFileSync(before, 'utf8'), after: readFileSync(after, 'utf8') }),
    resets: () => {
      const file = join(stateHome, 'tether', 'resets.jsonl');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    close: async () => {
      d.kill();
      await world.close();
    },
  };
}

/** Runs a body with a started tether at its first prompt; on failure the trace is added to the error; always closed. */
export async function withTether(opts: TetherPtyOptions, body: (t: TetherPty) => Promise<void>): Promise<void> {
  const t = await startTether(opts);
  try {
    await t.d.waitForText(PROMPT, 30_000);
    await body(t);
  } catch (err) {
    const trace = existsSync(t.debugLog) ? readFileSync(t.debugLog, 'utf8').split('\n').slice(-40).join('\n') : '(no trace)';
    if (err instanceof Error) err.message += `\n--- TETHER_DEBUG_LOG (last lines):\n${trace}`;
    throw err;
  } finally {
    await t.close();
  }
}
