// What the command line asked for, in the shapes the rest of tether consumes.
import type { Destination } from './argv-destination.js';

/** Every ssh option letter's value, as ssh.c records it (first or last occurrence wins as in ssh). */
export interface SshFlags {
  /** -t count since the last -T: 1 = request a tty, 2+ = force one. */
  tty: number;
  /** -T given after any -t. */
  noTty: boolean;
  /** -N: no remote command, forwards only. */
  noCommand: boolean;
  /** -n (or -f): stdin from /dev/null. */
  stdinNull: boolean;
  /** -f: go to background after authentication. */
  background: boolean;
  /** -q given after any -v (OpenSSH: the last of -q/-v decides the log level). */
  quiet: boolean;
  /** -v count (1..3 meaningful). */
  verbose: number;
  /** -4 / -6, the last one wins. */
  addressFamily?: 'inet' | 'inet6';
  /** -C. */
  compression: boolean;
  /** -A (true) / -a (false), the last one wins. */
  forwardAgent?: boolean;
  /** -X/-Y (true) / -x (false), the last one wins. */
  forwardX11?: boolean;
  /** -Y: trusted X11. */
  forwardX11Trusted: boolean;
  /** -g. */
  gatewayPorts: boolean;
  /** -s: the command is a subsystem name. */
  subsystem: boolean;
  /** -G: print the configuration instead of connecting. */
  configTest: boolean;
  /** -M count (2 = ask). */
  master: number;
  /** -k: no GSSAPI credential delegation. */
  noGssapiDelegation: boolean;
  /** -K: GSSAPI authentication and delegation. */
  gssapi: boolean;
  /** -y: log to syslog. */
  syslog: boolean;
  /** -p (the first one wins). */
  port?: number;
  /** -l (the first one wins). */
  login?: string;
  /** -F (the last one wins). */
  configFile?: string;
  /** -i, in order. */
  identityFiles: string[];
  /** -o values, in order (`Key=value` or `Key value`). */
  options: string[];
  /** -L/-R/-D specifications as typed. */
  localForwards: string[];
  remoteForwards: string[];
  dynamicForwards: string[];
  /** -J. */
  jump?: string;
  /** -W host:port. */
  stdioForward?: string;
  /** -w local_tun[:remote_tun]. */
  tunnel?: string;
  /** -S ctl_path. */
  controlPath?: string;
  /** -O ctl_cmd. */
  controlCommand?: string;
  /** -I pkcs11 provider. */
  pkcs11?: string;
  /** -b / -B. */
  bindAddress?: string;
  bindInterface?: string;
  /** -c / -m, as typed. */
  ciphers?: string;
  macs?: string;
  /** -e: a single character, `^X`, or `none`, as typed (already validated). */
  escapeChar?: string;
  /** -E log file. */
  logFile?: string;
}

/** tether's own long options. */
export interface TetherOptions {
  /** --session NAME: the remote tmux session to create or reattach. */
  session?: string;
  /** --no-tmux. */
  noTmux: boolean;
  /** --no-status. */
  noStatus: boolean;
}

/** `tether [ssh options] destination [command]`. */
export interface ConnectArgs {
  kind: 'connect';
  /** ssh option tokens as typed (both before and after the destination; no "--", no tether options). */
  sshArgs: string[];
  /** The whole argv minus tether's own long options: what `ssh -G` gets, and the system ssh when tether falls back to it. */
  sshArgv: string[];
  /** The destination argument as typed. */
  destination: string;
  /** user/host/port spelled inside the destination. */
  target: Destination;
  /** The remote command's words; ssh sends them joined by single spaces (see commandLine()). */
  command: string[];
  flags: SshFlags;
  /** Every ssh option in argv order, and where the destination came (ssh's first-value-wins needs the order). */
  sequence: SequenceItem[];
  tether: TetherOptions;
}

/** One ssh option as it came (letter and value), or the destination's place among them. */
export type SequenceItem = { letter: string; value?: string } | { destination: true };

/** `tether history ...` and friends: only when the very first argument is the subcommand name. */
export interface SubcommandArgs {
  kind: 'subcommand';
  name: SubcommandName;
  args: string[];
}

/** The first-argument words that select a tether subcommand. */
export type SubcommandName = 'history' | 'doctor' | 'sessions' | 'config' | 'demo' | 'dashboard';

/**
 * `-V` and `-Q`: ssh prints and exits before any destination is needed, so there is nothing to
 * connect; hand the argv to the system ssh as is.
 */
export interface SystemSshArgs {
  kind: 'system-ssh';
  sshArgv: string[];
  reason: string;
}

/** The result of parseArgv(). */
export type ParsedArgv = ConnectArgs | SubcommandArgs | SystemSshArgs | { kind: 'help' } | { kind: 'version' };
