// The exact command string an interactive session runs on the server: tmux when it can, a login shell when not.
import { shScriptCommand } from './exec.js';
import { shJoin, shQuote } from './shell-quote.js';
import type { TmuxSocket, TmuxVersion } from './tmux-invocation.js';
import { exactPaneTarget, tmuxArgv, tmuxAtLeast } from './tmux-invocation.js';

/** How a reconnect can give the user back their shell. */
export type RestoreMode =
  | 'tmux' // reattach to the tmux session: the same shell, same screen
  | 'plain-shell' // no tmux: a reconnect brings a new shell, and the user is told
  | 'none'; // a user-given command: nothing to restore

/** The tmux user option that marks a session as tether's (so `--session` ones are listed too). */
export const TETHER_OPTION = '@tether';

/** What `buildInteractiveCommand` needs. */
export interface InteractiveOptions {
  /** Session name, already validated (`resolveSessionName`). */
  session: string;
  /** Initial size for tmux (`-x`/`-y`): the local window minus the status row. */
  cols?: number;
  rows?: number;
  /** A command the user gave (`tether -t host top`): run verbatim, never inside tmux. */
  command?: string;
  /** `--no-tmux` turns tmux off. */
  tmux?: 'auto' | 'off';
  /** From the connect-time facts: false = tmux is known missing, undefined = not probed. */
  tmuxInstalled?: boolean;
  /** From the connect-time facts; enables `-e` (tmux ≥ 3.2). */
  tmuxVersion?: TmuxVersion;
  /** 'user' leaves the user's tmux config alone (default); 'off' hides tmux's own status line. */
  tmuxStatus?: 'user' | 'off';
  /** Detach other clients of the session on attach (`-D`), default true: see below. */
  detachOthers?: boolean;
  /** A private tmux server (tests); the user's default one otherwise. */
  socket?: TmuxSocket;
  /** Agent forwarding is on (`-A`): the shells get a stable link to the agent socket (see tmuxScript). */
  agentLink?: boolean;
}

/** The string to run (undefined = open a plain `shell` channel, as ssh does) and what it restores. */
export interface InteractiveCommand {
  command: string | undefined;
  restoreMode: RestoreMode;
}

/** Printed on stderr by the fallback branch when tmux turns out to be missing; the CLI may look for it. */
export const NO_TMUX_NOTICE = 'tether: tmux is not installed on this server; running a plain shell (it will not survive a reconnect)';

/**
 * The remote command of an interactive session.
 *
 * - A user command (`command`) is returned as is, like OpenSSH: restoreMode 'none'.
 * - `tmux: 'off'`, or tmux known missing: no command (a normal shell request, so the server
 *   runs the login shell exactly as for ssh), restoreMode 'plain-shell'.
 * - Otherwise one POSIX sh command: `exec tmux new-session -A -D -s NAME -x C -y R`, with
 *   `TETHER_SESSION=NAME` in the session's environment (`-e` for the first pane on tmux >= 3.2,
 *   set-environment for later windows) and `@tether 1` set on the session; if tmux is not found it
 *   prints NO_TMUX_NOTICE on stderr and execs `"${SHELL:-/bin/sh}" -l` with TETHER_SESSION set.
 *
 * Size: `-x/-y` only size a session that is created detached; an attached client (new or
 * re-attached) gives the window the size of its pty, so the pty size requested by the client
 * (local rows minus the status row) and later window-change requests are what count. No
 * `refresh-client` is needed: a client that attaches is redrawn in full, and a window-change
 * on the pty reaches tmux as SIGWINCH.
 *
 * `-D` detaches other clients on attach: after a reset the old connection's tmux client may
 * still be attached (its sshd has not noticed the dead link) and, with `window-size smallest`
 * or tmux < 3.1, would keep the window at the old size. Pass `detachOthers: false` for a
 * deliberately shared `--session`.
 */
export function buildInteractiveCommand(opts: InteractiveOptions): InteractiveCommand {
  if (opts.command !== undefined) return { command: opts.command, restoreMode: 'none' };
  if (opts.tmux === 'off' || opts.tmuxInstalled === false) return { command: undefined, restoreMode: 'plain-shell' };
  return { command: shScriptCommand(tmuxScript(opts)), restoreMode: 'tmux' };
}

/** The sh script inside the tmux command (exported for tests that run it without the `exec` wrapper). */
export function tmuxScript(opts: InteractiveOptions): string {
  const tmux = tmuxArgv(opts.socket);
  const words = [...tmux, 'new-session', '-A'];
  if (opts.detachOthers ?? true) words.push('-D');
  words.push('-s', opts.session);
  if (opts.cols !== undefined && opts.rows !== undefined) {
    words.push('-x', String(clampSize(opts.cols)), '-y', String(clampSize(opts.rows)));
  }
  if (tmuxAtLeast(opts.tmuxVersion, 3, 2)) words.push('-e', `TETHER_SESSION=${opts.session}`);
  const target = exactPaneTarget(opts.session);
  words.push(';', 'set-option', '-q', '-t', target, TETHER_OPTION, '1');
  // later windows of this session; not exported to the tmux client, which would leak it into the
  // global environment of a server it starts (and so into the user's other sessions)
  words.push(';', 'set-environment', '-t', target, 'TETHER_SESSION', opts.session);
  if (opts.tmuxStatus === 'off') words.push(';', 'set-option', '-q', '-t', target, 'status', 'off');
  return [
    'if command -v tmux >/dev/null 2>&1; then',
    ...(opts.agentLink ? [agentLinkLine(opts.session)] : []),
    `  exec ${shJoin(words)}`,
    'fi',
    `echo ${shQuote(NO_TMUX_NOTICE)} >&2`,
    `TETHER_SESSION=${shQuote(opts.session)}; export TETHER_SESSION`,
    'exec "${SHELL:-/bin/sh}" -l',
  ].join('\n');
}

/**
 * With agent forwarding, each connection's sshd makes a new agent socket, but the shells in the tmux session keep
 * the SSH_AUTH_SOCK they started with. So the shells get a link in ~/.ssh (the user's own directory, not /tmp)
 * that every attach points at the current socket: after a reconnect the same shells reach the agent again.
 */
function agentLinkPath(session: string): string {
  return `$HOME/.ssh/tether-agent-${session.replace(/[^A-Za-z0-9._-]/g, '_')}.sock`;
}

function agentLinkLine(session: string): string {
  const link = `"${agentLinkPath(session)}"`;
  return (
    `  if [ -S "\${SSH_AUTH_SOCK:-}" ] && [ -d "$HOME/.ssh" ] && ln -sfn "$SSH_AUTH_SOCK" ${link} 2>/dev/null; ` +
    `then SSH_AUTH_SOCK=${link}; export SSH_AUTH_SOCK; fi`
  );
}

/** tmux refuses sizes below 1 or above 10000. */
function clampSize(n: number): number {
  return Math.max(1, Math.min(10000, Math.floor(n)));
}
