// Each subcommand's usage, for `tether SUBCOMMAND --help` (stdout, exit 0) in one place.
import { HISTORY_USAGE } from '../history/args.js';
import { CONFIG_USAGE } from './config-command.js';
import { DEMO_USAGE } from './demo/index.js';

/** The usage of each subcommand. */
export const SUBCOMMAND_USAGE: Readonly<Record<string, string>> = {
  history: HISTORY_USAGE,
  doctor:
    'usage: tether doctor [ssh options] host [--idle-probe] [--json] [--max-wait S] [--max-time S]\n' +
    '  The connection-reset checklist run for one host: ICMP, TCP, banner, algorithms, auth, the server side,\n' +
    '  ending with the lines to add to ~/.ssh/config or sshd_config. --idle-probe measures the idle limit.',
  sessions:
    'usage: tether sessions [ssh options] host [--kill NAME | --kill-all] [--json]\n' +
    "  Lists (or kills) the remote tmux sessions tether's shells live in.",
  config: CONFIG_USAGE,
  demo: DEMO_USAGE,
};

/** Whether a subcommand's arguments ask for its help (`--help` anywhere, or `-h` first: ssh has no -h). */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  const own = end < 0 ? args : args.slice(0, end);
  return own.includes('--help') || own[0] === '-h';
}
