// `tether sessions host`: the tmux listing command, its parser and the table (pure).
import { hasTetherPrefix } from './session-name.js';
import { shJoin } from './shell-quote.js';
import { TETHER_OPTION } from './tmux-command.js';
import type { TmuxSocket } from './tmux-invocation.js';
import { tmuxQueryArgv } from './tmux-invocation.js';

/** One remote tmux session as listed. */
export interface RemoteSession {
  name: string;
  /** Epoch seconds. */
  created?: number;
  /** Clients attached now (a stale one may linger after a reset until its sshd notices). */
  attached: number;
  windows: number;
  /** The active pane's process (the shell). */
  panePid?: number;
  /** Made by tether: a `tether-` name, or `@tether` set (a `--session NAME` one). */
  tether: boolean;
}

/** The listing: name last, so a name with any printable character cannot shift the columns. */
const FORMAT = [
  '#{session_created}',
  '#{session_attached}',
  '#{session_windows}',
  '#{pane_pid}',
  `#{${TETHER_OPTION}}`,
  '#{session_name}',
].join('\t');

/** `tmux -u list-sessions -F ...` as a command string (`-u`: tabs and UTF-8 names come through in a C locale). */
export function listSessionsCommand(socket?: TmuxSocket): string {
  return shJoin([...tmuxQueryArgv(socket), 'list-sessions', '-F', FORMAT]);
}

/** Parses the listing; lines that do not fit are skipped. */
export function parseSessionList(stdout: string): RemoteSession[] {
  const out: RemoteSession[] = [];
  for (const line of stdout.split('\n')) {
    const parts = line.split('\t');
    if (parts.length < 6) continue;
    const [created, attached, windows, pane, mark] = parts;
    const name = parts.slice(5).join('\t');
    if (name === '') continue;
    const s: RemoteSession = {
      name,
      attached: toInt(attached) ?? 0,
      windows: toInt(windows) ?? 0,
      tether: hasTetherPrefix(name) || mark === '1',
    };
    const c = toInt(created);
    if (c !== undefined) s.created = c;
    const p = toInt(pane);
    if (p !== undefined) s.panePid = p;
    out.push(s);
  }
  return out;
}

function toInt(s: string | undefined): number | undefined {
  return s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined;
}

/** A plain aligned table (no colour: it is also what a pipe gets). */
export function formatSessionTable(sessions: readonly RemoteSession[], nowEpoch: number): string {
  if (sessions.length === 0) return 'no tether sessions\n';
  const rows = [
    ['NAME', 'CREATED', 'AGE', 'ATTACHED', 'WINDOWS', 'PID'],
    ...sessions.map((s) => [
      printable(s.name),
      s.created === undefined ? '?' : new Date(s.created * 1000).toISOString().replace('T', ' ').slice(0, 16),
      s.created === undefined ? '?' : formatAge(nowEpoch - s.created),
      s.attached > 0 ? `yes (${s.attached})` : 'no',
      String(s.windows),
      s.panePid === undefined ? '?' : String(s.panePid),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}

/** `42s`, `5m`, `3h`, `2d`. */
export function formatAge(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** Names come from the server: escape control characters before they reach the terminal. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
