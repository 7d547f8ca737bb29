// `tether history | sessions | config | doctor | demo | dashboard`: each subcommand's wiring to its layer.
import { TetherError } from '../common/errors.js';
import { openHostState, readHostStates } from '../config/host-state.js';
import { tetherPaths } from '../config/paths.js';
import { resetsPath } from '../history/log.js';
import { runHistoryCommand } from '../history/command.js';
import { liveDir } from '../live/dir.js';
import { runSessionsCommand } from '../remote/sessions.js';
import type { SubcommandArgs } from './argv-types.js';
import { runConfigCommand } from './config-command.js';
import { runDemo } from './demo/index.js';
import { runDoctorCommand } from './doctor/index.js';
import { linkExec } from '../heal/link-exec.js';
import { localContext } from './local-context.js';
import { isSinksHistory } from './sinks-args.js';
import { connectTarget, resolveTarget, splitOwnOptions } from './remote-target.js';
import { SUBCOMMAND_USAGE, wantsHelp } from './subcommand-usage.js';

/** Runs a subcommand; resolves to its exit status. */
export async function runSubcommand(args: SubcommandArgs): Promise<number> {
  const home = localContext(process.env).home;
  const paths = tetherPaths(process.env, home);
  const help = SUBCOMMAND_USAGE[args.name];
  if (help !== undefined && wantsHelp(args.args)) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  switch (args.name) {
    case 'config':
      return runConfigCommand(args.args, { configDir: paths.configDir, stdout: process.stdout });
    case 'history': {
      if (isSinksHistory(args.args)) {
        const { runSinksHistory } = await import('./sinks-command.js');
        return runSinksHistory(args.args, { stdout: process.stdout, stderr: process.stderr, env: process.env, home, ...paths });
      }
      const store = await openHostState(paths.stateDir).catch(() => undefined);
      return runHistoryCommand(args.args, {
        stdout: process.stdout,
        stderr: process.stderr,
        isTTY: process.stdout.isTTY === true,
        now: Date.now,
        file: resetsPath(paths.stateDir),
        columns: process.stdout.columns ?? 100,
        ...(store ? { hostState: store.all() } : {}),
      });
    }
    case 'sessions': {
      const { ssh, mine } = splitOwnOptions(args.args, new Map([['--kill', true], ['--kill-all', false], ['--json', false]]));
      const target = await resolveTarget(ssh, 'sessions');
      const link = await connectTarget(target);
      try {
        return await runSessionsCommand(mine, linkExec(link), {
          stdout: (s) => process.stdout.write(s),
          stderr: (s) => process.stderr.write(s),
        });
      } finally {
        link.dispose();
      }
    }
    case 'doctor':
      return runDoctorCommand(args.args);
    case 'demo':
      return runDemo(args.args);
    case 'dashboard': {
      // loaded only here: the server, ws and the page cost nothing at tether's start-up
      const { runDashboardCommand } = await import('../dashboard/command.js');
      const stopped = new Promise((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      return runDashboardCommand(args.args, {
        env: process.env,
        liveDir: liveDir(process.env, paths.stateDir),
        historyFile: resetsPath(paths.stateDir),
        hostStates: () => readHostStates(paths.stateDir),
        stdout: process.stdout,
        stderr: process.stderr,
        stopped,
      });
    }
    default:
      throw new TetherError('usage', `tether ${args.name}: not available in this build`);
  }
}
