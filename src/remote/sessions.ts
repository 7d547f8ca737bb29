// `tether sessions host [--kill NAME | --kill-all] [--json]`: list and kill remote tether tmux sessions.
import { TetherError } from '../common/errors.js';
import type { RemoteExec } from './exec.js';
import { validateSessionName } from './session-name.js';
import type { RemoteSession } from './sessions-list.js';
import { formatSessionTable, listSessionsCommand, parseSessionList } from './sessions-list.js';
import { shJoin } from './shell-quote.js';
import type { TmuxSocket } from './tmux-invocation.js';
import { exactSessionTarget, tmuxArgv } from './tmux-invocation.js';

/** Where the subcommand writes (the CLI passes process streams; tests collect strings). */
export interface SessionsIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** Extra settings: a private tmux server (tests) and the clock (server time is not needed for ages). */
export interface SessionsOptions {
  socket?: TmuxSocket;
  now?: () => number;
}

/** What the arguments after the host ask for. */
export type SessionsRequest =
  | { action: 'list'; json: boolean }
  | { action: 'kill'; name: string; json: boolean }
  | { action: 'kill-all'; json: boolean };

/** Parses the arguments after the host; a bad one is a TetherError('usage') naming it. */
export function parseSessionsArgs(args: readonly string[]): SessionsRequest {
  let json = false;
  let kill: string | undefined;
  let killAll = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--json') json = true;
    else if (a === '--kill-all') killAll = true;
    else if (a === '--kill' || a.startsWith('--kill=')) {
      const v = a === '--kill' ? args[++i] : a.slice('--kill='.length);
      if (v === undefined || v === '') throw new TetherError('usage', 'tether sessions: --kill needs a session name');
      kill = v;
    } else throw new TetherError('usage', `tether sessions: unknown argument ${JSON.stringify(a)} (use --kill NAME, --kill-all or --json)`);
  }
  if (kill !== undefined && killAll) throw new TetherError('usage', 'tether sessions: --kill and --kill-all exclude each other');
  if (kill !== undefined) {
    try {
      validateSessionName(kill);
    } catch (err) {
      throw new TetherError('usage', `tether sessions: --kill ${JSON.stringify(kill)}: not a tmux session name`, { cause: err });
    }
    return { action: 'kill', name: kill, json };
  }
  return killAll ? { action: 'kill-all', json } : { action: 'list', json };
}

/**
 * Lists the tether sessions, or kills one or all of them. Only tether's sessions (a `tether-` name
 * or `@tether` set) are listed or killed: the user's own tmux sessions are left alone.
 * Returns the exit status: 0 done, 1 a session to kill was not found or a kill failed.
 * Usage errors throw TetherError('usage'); a failing exec (transport) rejects as it does.
 */
export async function runSessionsCommand(
  args: readonly string[],
  exec: RemoteExec,
  io: SessionsIo,
  opts: SessionsOptions = {},
): Promise<number> {
  const req = parseSessionsArgs(args);
  const now = Math.floor((opts.now ?? Date.now)() / 1000);
  const listed = await listTetherSessions(exec, opts.socket);
  if (listed === 'no-tmux') {
    io.stderr('tether: tmux is not installed on the server: there are no tether sessions\n');
    return req.action === 'kill' ? 1 : 0;
  }
  if (req.action === 'list') {
    if (req.json) for (const s of listed) io.stdout(`${JSON.stringify(s)}\n`);
    else io.stdout(formatSessionTable(listed, now));
    return 0;
  }
  const targets = req.action === 'kill' ? listed.filter((s) => s.name === req.name) : listed;
  if (req.action === 'kill' && targets.length === 0) {
    io.stderr(`tether: no tether session named ${JSON.stringify(req.name)} on the server\n`);
    return 1;
  }
  let status = 0;
  for (const s of targets) {
    const r = await exec(shJoin([...tmuxArgv(opts.socket), 'kill-session', '-t', exactSessionTarget(s.name)]));
    if (r.code === 0) {
      if (req.json) io.stdout(`${JSON.stringify({ killed: s.name })}\n`);
      else io.stdout(`killed ${s.name}\n`);
    } else {
      status = 1;
      io.stderr(`tether: could not kill ${s.name}: ${r.stderr.trim() || `exit ${String(r.code)}`}\n`);
    }
  }
  if (req.action === 'kill-all' && targets.length === 0 && !req.json) io.stdout('no tether sessions\n');
  return status;
}

/** The server's tether sessions (none when no tmux server runs), or 'no-tmux'. */
export async function listTetherSessions(exec: RemoteExec, socket?: TmuxSocket): Promise<RemoteSession[] | 'no-tmux'> {
  const r = await exec(listSessionsCommand(socket));
  if (r.code === 127) return 'no-tmux';
  if (r.code !== 0) return []; // "no server running" / "error connecting": no sessions at all
  return parseSessionList(r.stdout).filter((s) => s.tether);
}
