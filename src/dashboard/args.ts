// `tether dashboard [--port N] [--no-open]`: argv to options.
import { TetherError } from '../common/errors.js';

/** The parsed command line. */
export interface DashboardArgs {
  /** 0 = a random free port. */
  port: number;
  open: boolean;
  help: boolean;
}

/** `tether dashboard --help`. */
export const DASHBOARD_USAGE =
  'usage: tether dashboard [--port N] [--no-open]\n' +
  '  Serves a local page (127.0.0.1 only) with every live tether session on this machine and the reset history.\n' +
  '  The address it prints carries a token; every request without it is refused. --no-open prints it without\n' +
  '  starting a browser. Ctrl-C stops it.';

const usage = (msg: string): TetherError => new TetherError('usage', `tether dashboard: ${msg}\n${DASHBOARD_USAGE}`);

/** Parses the arguments after `dashboard`; throws TetherError('usage') naming the option and value. */
export function parseDashboardArgs(args: readonly string[]): DashboardArgs {
  const out: DashboardArgs = { port: 0, open: true, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-h' || a === '--help') out.help = true;
    else if (a === '--no-open') out.open = false;
    else if (a === '--port' || a.startsWith('--port=')) {
      const v = a === '--port' ? args[++i] : a.slice('--port='.length);
      const n = v !== undefined && /^\d+$/.test(v) ? Number(v) : NaN;
      if (!(n >= 1 && n <= 65535)) throw usage(`--port wants a port number 1..65535, not ${JSON.stringify(v ?? '')}`);
      out.port = n;
    } else throw usage(`unknown option ${JSON.stringify(a)}`);
  }
  return out;
}
