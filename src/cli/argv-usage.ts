// OpenSSH 9.2's usage text and getopt messages, byte for byte (ssh prints them with "\r\n" after the first line).
import { sshLogLines } from './ssh-log.js';

/** What `ssh` prints after a bad option, before exiting 255. */
export const SSH_USAGE =
  'usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]\n' +
  '           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]\n' +
  '           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]\n' +
  '           [-i identity_file] [-J [user@]host[:port]] [-L address]\n' +
  '           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-p port]\n' +
  '           [-Q query_option] [-R address] [-S ctl_path] [-W host:port]\n' +
  '           [-w local_tun[:remote_tun]] destination [command [argument ...]]';

/** tether's own additions, shown by `--help` after OpenSSH's usage. */
export const TETHER_USAGE =
  'tether: a self-healing ssh. Options of its own (before the destination):\n' +
  '  --session NAME   reattach to / create the remote tmux session NAME\n' +
  '  --no-tmux        do not wrap the remote shell in tmux\n' +
  '  --no-status      no status bar\n' +
  '  --help, --version   (tether\'s version; -V stays ssh\'s)\n' +
  'Subcommands (first argument only): history, doctor, sessions, config, demo, dashboard.\n' +
  'A host literally named like a subcommand: `tether -- history` or `tether ssh://history`.';

/** After ssh's usage when no host was named: tether's own short usage, and where to start. */
export const TETHER_SHORT_USAGE =
  'tether: a self-healing ssh; it takes ssh\'s options above.\n' +
  '  tether demo                     start here: a link broken every few seconds, healed and explained\n' +
  '  tether [ssh options] host       a shell that survives resets (tether --help for its own options)\n' +
  '  tether history | doctor host | sessions host | config   (each with --help)';

/** What ssh prints when no host was named, then tether's short usage (stderr, exit 255 as ssh). */
export const NO_HOST_USAGE = `${SSH_USAGE}\n\n${TETHER_SHORT_USAGE}`;

/** The text ssh prints for a getopt error: the message, CR LF, then the usage. */
export function usageText(message?: string): string {
  return message === undefined ? SSH_USAGE : `${message}\r\n${SSH_USAGE}`;
}

/** Messages ssh prints through fatal(), which ends lines with CR LF (the others use fprintf and LF). */
const FATAL_MESSAGES = [
  /^SSH protocol v\.1 is no longer supported$/,
  /^Only a single -J option is permitted/,
  /^Cannot specify -[Ns] with/,
  /^hostname contains invalid characters$/,
  /^remote username contains invalid characters$/,
  /^stdio forward already specified$/,
  /^Cannot execute command-line and remote command\.$/,
  /^Cannot fork into background without a command to execute\.$/,
];

/** The exact stderr bytes ssh prints for a usage error's message (what main should write before exiting 255). */
export function sshStderr(message: string): string {
  return FATAL_MESSAGES.some((re) => re.test(message)) ? sshLogLines(message) : `${message}\n`;
}
