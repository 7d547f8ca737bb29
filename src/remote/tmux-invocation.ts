// Which tmux server remote/ talks to: the user's default one, or a private socket (tests, demos).
import { shJoin } from './shell-quote.js';

/** A tmux server other than the default: `-S path` or `-L name`. */
export type TmuxSocket = { path: string } | { name: string };

/** tether's own tmux server (`tmux -L tether`): the user's `tmux ls` never shows its sessions, their server is untouched. */
export const TETHER_SOCKET: TmuxSocket = { name: 'tether' };

/** The argv that starts every tmux command (`tmux -L tether`, `tmux -S /tmp/x/sock`). */
export function tmuxArgv(socket: TmuxSocket = TETHER_SOCKET): string[] {
  return 'path' in socket ? ['tmux', '-S', socket.path] : ['tmux', '-L', socket.name];
}

/**
 * The argv for commands whose output we parse (list-sessions): `-u` makes tmux print tabs and UTF-8
 * as they are; without it, in the C locale of a bare exec channel, tmux turns both into `_`.
 */
export function tmuxQueryArgv(socket?: TmuxSocket): string[] {
  const [bin, ...rest] = tmuxArgv(socket);
  return [bin ?? 'tmux', '-u', ...rest];
}

/** The query argv as quoted shell words. */
export function tmuxQueryPrefix(socket?: TmuxSocket): string {
  return shJoin(tmuxQueryArgv(socket));
}

/** An exact-match session target (`-t` of has-session, kill-session): `=NAME` stops prefix and fnmatch matching. */
export function exactSessionTarget(name: string): string {
  return `=${name}`;
}

/** The same for commands whose `-t` is a pane (set-option, display-message): `=NAME:` (without the colon tmux finds nothing). */
export function exactPaneTarget(name: string): string {
  return `=${name}:`;
}

/** tmux's version, from `tmux -V` ("tmux 3.3a", "tmux next-3.4", "tmux openbsd-7.4"). */
export interface TmuxVersion {
  major: number;
  minor: number;
  /** The text as printed, for reports. */
  raw: string;
}

/** Parses `tmux -V`; builds we cannot number (master, openbsd-x) count as newest. */
export function parseTmuxVersion(text: string): TmuxVersion | undefined {
  const raw = text.trim();
  if (!raw.startsWith('tmux')) return undefined;
  const m = /(?:^|[\s-])(\d+)\.(\d+)/.exec(raw.replace(/^tmux\s+(openbsd-[\d.]+)/, ''));
  if (m?.[1] !== undefined && m[2] !== undefined) {
    return { major: Number(m[1]), minor: Number(m[2]), raw };
  }
  return { major: 99, minor: 0, raw };
}

/** Whether `v` is at least `major.minor` (unknown versions are assumed old). */
export function tmuxAtLeast(v: TmuxVersion | undefined, major: number, minor: number): boolean {
  if (v === undefined) return false;
  return v.major > major || (v.major === major && v.minor >= minor);
}
