// The composition root: argv in, exit status out. Only this file (and the cli/ helpers it calls) wires the layers.
// Each kind of run is imported when it is chosen, so `--version` loads the parser and nothing else, and `host true`
// never loads the terminal UI, the healing session or the subcommands (start-up time and memory).
import { TetherError, messageOf } from '../common/errors.js';
import { parseArgv } from './argv.js';
import { SSH_USAGE, TETHER_USAGE, sshStderr } from './argv-usage.js';
import { VERSION } from './version.js';
import { sshLogLines } from './ssh-log.js';

/** Runs tether with the given arguments and resolves to the process exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const parsed = parseArgv(argv);
    switch (parsed.kind) {
      case 'help':
        process.stdout.write(`${SSH_USAGE}\n\n${TETHER_USAGE}\n`);
        return 0;
      case 'version':
        process.stdout.write(`tether ${VERSION}\n`);
        return 0;
      case 'system-ssh': {
        const { runSystemSsh } = await import('./fallback.js');
        return await runSystemSsh(parsed.sshArgv, { reason: parsed.reason, quiet: true, stderr: process.stderr });
      }
      case 'subcommand':
        return await (await import('./subcommands.js')).runSubcommand(parsed);
      case 'connect':
        return await (await import('./connect.js')).runConnect(parsed);
    }
  } catch (err) {
    return report(err);
  }
}

/** Prints an error the way ssh would (one line, or ssh's own multi-line text) and returns 255. */
function report(err: unknown): number {
  const msg = err instanceof TetherError ? err.message : `tether: ${messageOf(err)}`;
  // ssh's own messages are log lines (CR LF); usage errors are as ssh's getopt and usage() print them
  if (err instanceof TetherError && err.kind !== 'usage') process.stderr.write(sshLogLines(msg));
  else process.stderr.write(msg.endsWith('\n') ? msg : sshStderr(msg));
  if (err instanceof TetherError && err.kind === 'usage' && /^tether /.test(msg)) return 2;
  return 255;
}
