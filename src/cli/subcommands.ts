// `tether history | sessions | config | doctor | demo`: each subcommand's wiring to its layer.
import { TetherError } from '../common/errors.js';
import { openHostState } from '../config/host-state.js';
import { tetherPaths } from '../config/paths.js';
import { runHistoryCommand } from '../history/command.js';
import { resetsPath } from '../history/log.js';
import { runSessionsCommand } from '../remote/sessions.js';
import type { SubcommandArgs } from './argv-types.js';
import { runConfigCommand } from './config-command.js';
import { runDemo } from './demo/index.js';
import { runDoctorCommand } from './doctor/index.js';
import { linkExec } from './heal/link-exec.js';
import { localContext } from './local-context.js';
import { connectTarget, resolveTarget, splitOwnOptions } from './remote-target.js';

/** Runs a subcommand; resolves to its exit status. */
export async function runSubcommand(args: SubcommandArgs): Promise<number> {
  const home = localContext(process.env).home;
  const paths = tetherPaths(process.env, home);
  switch (args.name) {
    case 'config':
      return runConfigCommand(args.args, { configDir: paths.configDir, stdout: process.stdout });
    case 'history': {
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
    default:
      throw new TetherError('usage', `tether ${args.name}: not available in this build`);
  }
}
