// Runs the real `tether dashboard` (built dist/) as a child process, and a real Chromium to look at it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { TETHER_BIN } from './tether-pty.js';

/** Debian's chromium, headless, with nothing that phones home. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Starts a headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A running dashboard process. */
export interface DashboardProcess {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly proc: ChildProcess;
  /** SIGTERM, then the exit status. */
  stop(): Promise<number | null>;
}

/** What a run printed and how it ended (for the refusals). */
export interface DashboardRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a dashboard that shares `stateHome` with the tethers under test (no XDG_RUNTIME_DIR: the state dir's run/). */
export function dashboardEnv(stateHome: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_STATE_HOME: stateHome, XDG_CONFIG_HOME: stateHome };
  delete env.XDG_RUNTIME_DIR;
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return env;
}

/** Starts `tether dashboard --no-open [args]` and waits for the address it prints. */
export async function startDashboard(stateHome: string, args: string[] = []): Promise<DashboardProcess> {
  const proc = spawn(process.execPath, [TETHER_BIN, 'dashboard', '--no-open', ...args], { env: dashboardEnv(stateHome), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address from tether dashboard; stderr: ${err}`)), 15_000);
    proc.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /tether dashboard: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tether dashboard exited ${code}: ${err}`));
    });
  });
  const u = new URL(url);
  return {
    url,
    port: Number(u.port),
    token: u.searchParams.get('token') ?? '',
    proc,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs `tether dashboard ARGS` to its end (for the refusals: a port in use, a bad option). */
export function runDashboard(stateHome: string, args: string[]): Promise<DashboardRun> {
  const proc = spawn(process.execPath, [TETHER_BIN, 'dashboard', '--no-open', ...args], { env: dashboardEnv(stateHome), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  return new Promise((resolve) =>
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
