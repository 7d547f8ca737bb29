// Names of the remote tmux sessions: one per local terminal by default, or the user's `--session NAME`.
import { randomBytes } from 'node:crypto';
import { TetherError } from '../common/errors.js';

/** Every session tether names itself starts with this; `tether sessions` lists them. */
export const SESSION_PREFIX = 'tether-';

/** Longest name accepted (tmux has no hard limit; a status line and a table do). */
export const MAX_SESSION_NAME = 64;

/**
 * A short random id, made once per tether process: two terminals to the same host get two
 * sessions, and a reconnect of the same process finds its own again.
 */
export function generateLocalId(random: (n: number) => Buffer = randomBytes): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...random(8)].map((b) => alphabet[b % alphabet.length] ?? 'x').join('');
}

/** `tether-<local id>`. */
export function defaultSessionName(localId: string): string {
  return validateSessionName(`${SESSION_PREFIX}${localId}`);
}

/**
 * Checks a `--session` value: tmux reads `.` and `:` as window/pane separators in targets, stores
 * `$` and `\` escaped (`\$`, `\\`) and expands `#` formats in names (tmux 3.3a), and control
 * characters would break the listing, so those are refused: the name tmux keeps must be the name
 * we asked for. Everything else (spaces, quotes, `;`, unicode) is allowed and quoted where used.
 * Returns the name.
 */
export function validateSessionName(name: string): string {
  const why =
    name.length === 0
      ? 'it is empty'
      : name.length > MAX_SESSION_NAME
        ? `it is longer than ${MAX_SESSION_NAME} characters`
        : name.includes('.') || name.includes(':')
          ? 'tmux reserves "." and ":" in session targets'
          : /[$\\#]/.test(name)
            ? 'tmux rewrites "$" and "\\" and expands "#" in session names'
            : // eslint-disable-next-line no-control-regex
              /[\x00-\x1f\x7f]/.test(name)
              ? 'it contains a control character'
              : undefined;
  if (why !== undefined) {
    throw new TetherError('usage', `--session ${JSON.stringify(name)}: not a usable tmux session name (${why})`);
  }
  return name;
}

/** The session for this process: `--session NAME` when given (validated), else `tether-<local id>`. */
export function resolveSessionName(opts: { session?: string | undefined; localId: string }): string {
  return opts.session === undefined ? defaultSessionName(opts.localId) : validateSessionName(opts.session);
}

/** Whether a session name is one tether made by default (the `--session` ones carry `@tether` instead). */
export function hasTetherPrefix(name: string): boolean {
  return name.startsWith(SESSION_PREFIX);
}
