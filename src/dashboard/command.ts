// `tether dashboard`: start the server, print its address, open a browser when there is a display, stop on a signal.
import { spawn } from 'node:child_process';
import { TetherError } from '../common/errors.js';
import { ensureLiveDir } from '../live/dir.js';
import { DASHBOARD_USAGE, parseDashboardArgs } from './args.js';
import type { DatedHostStates } from './history-data.js';
import { startDashboardServer } from './server.js';
import type { DashboardServer } from './server.js';
import { dashboardToken } from './token.js';

/** Exit status of a bad command line or a port in use. */
export const EXIT_USAGE = 2;

/** What the command needs from the cli. */
export interface DashboardIo {
  env: Readonly<Record<string, string | undefined>>;
  liveDir: string;
  historyFile: string;
  hostStates: () => Promise<DatedHostStates>;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Resolves when the user asks to stop (SIGINT/SIGTERM). */
  stopped: Promise<unknown>;
  /** Starts a browser on the address; default xdg-open, detached. */
  openBrowser?: (url: string) => void;
}

/** Runs `tether dashboard ARGS`; resolves to the exit status once stopped. */
export async function runDashboardCommand(args: readonly string[], io: DashboardIo): Promise<number> {
  let server: DashboardServer;
  try {
    const parsed = parseDashboardArgs(args);
    if (parsed.help) {
      io.stdout.write(`${DASHBOARD_USAGE}\n`);
      return 0;
    }
    await ensureLiveDir(io.liveDir);
    const token = await dashboardToken(io.liveDir);
    server = await startDashboardServer({
      port: parsed.port,
      token,
      liveDir: io.liveDir,
      history: { file: io.historyFile, hostStates: io.hostStates, now: Date.now },
    });
    io.stdout.write(`tether dashboard: ${server.url}\n`);
    if (parsed.open && hasDisplay(io.env)) (io.openBrowser ?? xdgOpen)(server.url);
  } catch (err) {
    if (!(err instanceof TetherError)) throw err;
    io.stderr.write(`${err.message.split('\n')[0] ?? err.message}\n`);
    return err.kind === 'usage' ? EXIT_USAGE : 1;
  }
  await io.stopped;
  await server.close();
  return 0;
}

/** Whether a graphical session is there to show a browser in. */
export function hasDisplay(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** xdg-open, detached and silent; a missing xdg-open is not an error (the address is printed). */
function xdgOpen(url: string): void {
  const child = spawn('xdg-open', [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}
