// After a reconnect: did the user's session survive (reattached) or is this a new one (and why)?
import type { ExecResult } from './exec.js';
import type { ServerFacts } from './evidence-parse.js';
import type { SessionRecord } from './session-facts.js';
import { compareServerFacts } from './server-changes.js';
import { shJoin } from './shell-quote.js';
import type { RestoreMode } from './tmux-command.js';
import type { TmuxSocket } from './tmux-invocation.js';
import { exactSessionTarget, tmuxArgv } from './tmux-invocation.js';

/** Why a reconnect gave a new shell instead of the old one. */
export type NewSessionReason =
  | 'reboot' // the server rebooted: every process is gone
  | 'session-killed' // the tmux session (or server) was killed, same boot
  | 'tmux-missing' // tmux is no longer there
  | 'plain-shell' // there never was tmux: a plain shell cannot be reattached
  | 'unknown'; // could not tell (evidence unreadable)

/** What the CLI tells the user and writes in the history (`restored` or `new-session`). */
export type ReattachDecision =
  | { outcome: 'restored'; notice?: undefined; evidence: string[] }
  | { outcome: 'new-session'; reason: NewSessionReason; notice: string; evidence: string[] };

/**
 * `tmux has-session -t =NAME`: exit 0 when the session exists. Run it BEFORE the reattach
 * (`new-session -A` would create it again); or use `decideReattach` with facts, which works in
 * either order because it compares the session's creation time.
 */
export function hasSessionCommand(session: string, socket?: TmuxSocket): string {
  return shJoin([...tmuxArgv(socket), 'has-session', '-t', exactSessionTarget(session)]);
}

/** Reads has-session's result: true = exists, false = gone (or no server), undefined = tmux missing/failed. */
export function sessionExistsFromExec(r: ExecResult): boolean | undefined {
  if (r.code === 0) return true;
  if (r.code === 1) return false; // "can't find session" and "no server running" both exit 1
  return undefined; // 127: no tmux; null: signal/timeout
}

/** Inputs of `decideReattach`. */
export interface ReattachInput {
  restoreMode: RestoreMode;
  /** What was recorded at connect (recordFromFacts). */
  before: SessionRecord;
  /** The fast facts read over the new connection (session name given to the script). */
  now: ServerFacts;
  /** Or/and: the has-session result read before the reattach. */
  hasSession?: boolean;
}

/**
 * The outcome of a reconnect. tmux mode: restored when the session is present and is the same one
 * (same creation time); else a new session, with the reason from the boot and process facts.
 * Plain shell: always a new shell, and the notice says the old one is gone.
 */
export function decideReattach(input: ReattachInput): ReattachDecision {
  const changes = compareServerFacts(input.before, input.now);
  const evidence = changes.evidence;
  const gone = (reason: NewSessionReason, notice: string): ReattachDecision => ({
    outcome: 'new-session',
    reason,
    notice,
    evidence,
  });
  const why = changes.rebooted === true ? 'the server rebooted' : undefined;

  if (input.restoreMode !== 'tmux') {
    return gone(
      changes.rebooted === true ? 'reboot' : 'plain-shell',
      `the old shell is gone (${why ?? 'without tmux on the server a shell cannot survive a reconnect'}); this is a new shell`,
    );
  }
  if (input.now.tmux.installed === false) {
    return gone('tmux-missing', 'the old shell is gone: tmux is no longer installed on the server; this is a plain new shell');
  }
  const present =
    input.now.tmux.session === undefined ? input.hasSession : input.now.tmux.session === 'present';
  if (changes.rebooted === true) {
    return gone('reboot', 'the old shell is gone: the server rebooted; this is a new tmux session');
  }
  if (present === true && changes.tmuxSessionGone !== true) return { outcome: 'restored', evidence };
  if (present === undefined) {
    return gone('unknown', 'could not tell whether the old tmux session survived (the server did not say)');
  }
  return gone('session-killed', 'the old shell is gone: its tmux session was killed on the server; this is a new tmux session');
}
