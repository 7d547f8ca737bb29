// The three sh scripts of an invisible session: the control client's command (tmux -C on tether's own server),
// the pane's writer (pipe-pane into a bounded log of fixed-size segments) and the reader (the log from a byte offset).
import { shScriptCommand } from './exec.js';
import { shJoin, shQuote } from './shell-quote.js';
import { TETHER_OPTION } from './tmux-command.js';
import type { TmuxSocket } from './tmux-invocation.js';
import { exactPaneTarget, tmuxArgv } from './tmux-invocation.js';

/** Bytes per log segment; the log keeps LOG_SEGMENTS of them (64 MiB), older output is skipped and said so. */
export const LOG_SEGMENT_BYTES = 16 * 1024 * 1024;
export const LOG_SEGMENTS = 4;

/** The session option holding the sequence number of the last key batch tmux applied (exactly-once keys). */
export const KEYS_OPTION = '@tether-in';

/**
 * Lines that set $L, the session's log directory on the server: a 0700 directory of the user's (checked, never a
 * symlink), one subdirectory per session with the name hex-encoded (any name is then a safe path). $1 = the name.
 */
export function logDirLines(): string[] {
  return [
    'b="${TMPDIR:-/tmp}/tether-$(id -u)"',
    '[ -d "$b" ] || mkdir -m 700 "$b" 2>/dev/null',
    '{ [ -d "$b" ] && [ ! -L "$b" ] && [ -O "$b" ]; } || { echo "tether: $b is not a private directory of this user" >&2; exit 254; }',
    'L="$b/s-$(printf %s "$1" | od -An -tx1 | tr -d \' \\n\')"',
  ];
}

/** What the control command needs. */
export interface ControlCommandOptions {
  session: string;
  /** The local TERM, for the pane's programs (their bytes reach the local terminal as they are). */
  term: string;
  cols: number;
  rows: number;
  /** Where a new shell starts when the old one is gone (its last working directory). */
  cwd?: string;
  /** Agent forwarding: the shells get a stable link to the agent socket. */
  agentLink?: boolean;
  /** Another tmux server than tether's own (tests). */
  socket?: TmuxSocket;
}

/**
 * The pane's program: the user's login shell without TMUX (so their own tmux works inside), with the local TERM;
 * its exit status is kept for the reader, which ends the session with it (as ssh does).
 */
function wrapperScript(session: string): string {
  // pipe-pane expands formats and strftime escapes in its command: `#` and `%` of the script are doubled
  const literal = (t: string): string => t.replace(/[#%]/g, (c) => c + c);
  const writer = `exec /bin/sh -c ${literal(shQuote(writerScript()))} sh ${literal(shQuote(session))} '#{pid}-#{session_created}-#{pane_id}'`;
  return [
    // the pane's log starts before the shell, so no byte of it escapes (TMUX still names tether's server here)
    `tmux pipe-pane -O -t "$TMUX_PANE" ${shQuote(writer)}`,
    'unset TMUX TMUX_PANE',
    'TETHER_SESSION=$1; TERM=$2; export TERM TETHER_SESSION',
    '"${SHELL:-/bin/sh}" -l',
    's=$?',
    ...logDirLines(),
    'umask 077; echo "$s" > "$L/status.tmp" && mv "$L/status.tmp" "$L/status"',
    'exit "$s"',
  ].join('\n');
}

/**
 * The writer pipe-pane runs: the pane's bytes split into fixed-size segments (so a byte offset names a segment and
 * a position), the oldest beyond LOG_SEGMENTS removed; each segment's writer pid lets the reader know it is complete.
 * $1 = the session name, $2 = this pane instance's directory name.
 */
function writerScript(): string {
  const keep = LOG_SEGMENTS;
  const filter = [
    'n=${FILE##*.}; o=$(expr "$n" - ' + String(keep) + ')',
    '[ "$o" -ge 0 ] && rm -f "$FILE.pid" "${FILE%.*}.$(printf %06d "$o")" "${FILE%.*}.$(printf %06d "$o").pid"',
    // the segment exists before its pid file says so (tail -f gives up on a missing file), the pid file whole
    ': > "$FILE"; echo $$ > "$FILE.pt"; mv "$FILE.pt" "$FILE.pid"; exec cat >> "$FILE"',
  ].join('; ');
  return [
    'umask 077',
    ...logDirLines(),
    'd="$L/$2"',
    // a new pane instance: logs of earlier instances of this session name are of shells that are gone
    'mkdir -p "$L" && for o in "$L"/*; do [ "$o" = "$d" ] || rm -rf "$o"; done',
    'mkdir -p "$d" || exit 1',
    `SHELL=/bin/sh split -b ${String(LOG_SEGMENT_BYTES)} -a 6 -d --filter=${shQuote(filter)} - "$d/seg."`,
    ': > "$d/end"',
  ].join('\n');
}

/**
 * The control client: `tmux -L tether -f /dev/null -u -C new-session -A -D` with the wrapper as the pane (it starts
 * the pane's log before the shell), tmux's status line off, the session marked as tether's. `-D` detaches a stale
 * control client of the old link.
 */
export function controlCommand(o: ControlCommandOptions): string {
  const target = exactPaneTarget(o.session);
  const words = [...tmuxArgv(o.socket), '-f', '/dev/null', '-u', '-C', 'new-session', '-A', '-D', '-s', o.session];
  words.push('-x', String(clamp(o.cols)), '-y', String(clamp(o.rows)));
  if (o.cwd !== undefined) words.push('-c', o.cwd);
  words.push('/bin/sh', '-c', wrapperScript(o.session), 'sh', o.session, o.term);
  words.push(';', 'set-option', '-g', 'status', 'off');
  words.push(';', 'set-option', '-q', '-t', target, TETHER_OPTION, '1');
  words.push(';', 'set-environment', '-t', target, 'TETHER_SESSION', o.session);
  const lines = [staleClientsLine(o.socket), ...(o.agentLink ? [agentLinkLine(o.session)] : []), ...startLockLines(o.socket)];
  return shScriptCommand([...lines, `exec ${shJoin(words)}`].join('\n'));
}

/**
 * One control client starts at a time on tether's server. tmux 3.3a's server dies (a NULL dereference in
 * control_write, "server exited unexpectedly" in every client) when a notification (a session made or closed) reaches
 * a control client that has identified itself but not started yet; twenty clients started together (twenty tethers
 * reconnecting after one network failure) lost the server in most runs, with every session on it. A background
 * holder takes a lock (flock, where there is one), lets this client go, and keeps the lock until tmux lists the
 * client (it is attached: started), at most 2 s. The lock file is in the private log directory.
 */
function startLockLines(socket?: TmuxSocket): string[] {
  const listed = `${shJoin([...tmuxArgv(socket), 'list-clients', '-F', '#{client_pid}'])} 2>/dev/null | grep -qx "$P"`;
  return [
    'b="${TMPDIR:-/tmp}/tether-$(id -u)"',
    '[ -d "$b" ] || mkdir -m 700 "$b" 2>/dev/null',
    'if command -v flock >/dev/null 2>&1 && [ -d "$b" ] && [ ! -L "$b" ] && [ -O "$b" ] && f="$b/start.$$" && rm -f "$f" && mkfifo -m 600 "$f" 2>/dev/null; then',
    '  P=$$',
    `  ( flock -w 10 9; echo go > "$f"; k=0; while [ $k -lt 100 ]; do ${listed} && break; sleep 0.02; k=$((k+1)); done ) 9>"$b/start.lock" </dev/null >/dev/null 2>&1 &`,
    '  read -r _ < "$f"; rm -f "$f"',
    'fi',
  ];
}

/**
 * Sends away control clients whose connection is gone. tmux holds a control client's stdin and stdout itself, and a
 * client whose sshd was killed at the wrong moment was seen to live on, reparented to init (a soak of 500 resets
 * left 19). Every client of tether's private server is a tether control client, and one whose parent is init has no
 * connection left. In the background (detached twice, so nothing waits for it and no zombie stays), so the attach
 * does not wait for it.
 */
function staleClientsLine(socket?: TmuxSocket): string {
  const list = shJoin([...tmuxArgv(socket), 'list-clients', '-F', '#{client_pid}']);
  const orphan = `[ "$(awk '/^PPid:/ { print $2 }' "/proc/$c/status" 2>/dev/null)" = 1 ]`;
  return `( ( for c in $(${list} 2>/dev/null); do ${orphan} && kill "$c" 2>/dev/null; done ) </dev/null >/dev/null 2>&1 & )`;
}

/**
 * The reader: the pane's bytes from a byte offset of one pane instance's log, following it live; the first stderr
 * line says `tether-log OFFSET`, `tether-skip N` when older bytes were already removed. Ends when the pane is gone,
 * with the shell's exit status. $1 = the session, $2 = the pane instance, $3 = the offset, or `end` to start at the
 * end (a session this process has not seen yet: its screen is painted from tmux instead).
 */
export function readerCommand(session: string, instance: string, offset: number | 'end'): string {
  const S = String(LOG_SEGMENT_BYTES);
  const script = [
    ...logDirLines(),
    'd="$L/$2"',
    'w=0; while [ ! -d "$d" ]; do sleep 0.02; w=$((w+1)); [ $w -gt 500 ] && { echo "tether: no log for this session" >&2; exit 254; }; done',
    'segs() { ls "$d" | sed -n "s/^seg\\.\\([0-9]*\\)$/\\1/p" | sort -n; }',
    'off=$3',
    'if [ "$off" = end ]; then last=$(segs | tail -n 1); if [ -n "$last" ]; then off=$(( $(expr "$last" + 0) * ' + S + ' + $(wc -c < "$d/seg.$last") )); else off=0; fi; fi',
    'i=$((off / ' + S + ')); p=$((off % ' + S + '))',
    'first=$(segs | head -n 1)',
    'if [ -n "$first" ] && [ "$(expr "$first" + 0)" -gt "$i" ]; then j=$(expr "$first" + 0); echo "tether-skip $((j * ' + S + ' - off))" >&2; i=$j; p=0; off=$((j * ' + S + ')); fi',
    'echo "tether-log $off" >&2',
    // a reader whose connection is gone must not outlive it: tail dies of SIGPIPE at its next write, and the wait
    // between segments checks that the sshd that started it is still there
    'P=$PPID; nap=0.02; t=',
    // killed (the channel closed): the follower goes too, or it would hold the channel's pipe open
    'trap \'[ -n "$t" ] && kill "$t" 2>/dev/null; exit 0\' TERM HUP INT',
    // the reader of an earlier connection to this session (its sshd may not know yet that the link is dead) goes
    'if read -r op ot 2>/dev/null < "$L/reader" && [ "$op" != $$ ]; then kill "$ot" "$op" 2>/dev/null; fi', // 2> first: dash says it could not open the file before a later 2> applies
    'while :; do',
    '  f="$d/seg.$(printf %06d "$i")"',
    '  if [ -e "$f.pid" ]; then',
    '    nap=0.02',
    '    tail -c +$((p + 1)) -s 0.05 --pid="$(cat "$f.pid")" -f "$f" 2>/dev/null & t=$!',
    '    echo "$$ $t" > "$L/reader.$$" && mv -f "$L/reader.$$" "$L/reader"',
    '    wait "$t"; [ $? -gt 128 ] && exit 0',
    '    i=$((i + 1)); p=0',
    '  elif [ -e "$d/end" ]; then',
    '    s=$(cat "$L/status" 2>/dev/null); exit "${s:-255}"',
    '  else kill -0 "$P" 2>/dev/null || exit 0; sleep "$nap"; nap=0.2',
    '  fi',
    'done',
  ].join('\n');
  return `exec /bin/sh -c ${shQuote(script)} sh ${shQuote(session)} ${shQuote(instance)} ${offset === 'end' ? 'end' : String(offset)}`;
}

/** The agent link line (see tmux-command.ts): the shells reach the agent of the current link. */
function agentLinkLine(session: string): string {
  const link = `"$HOME/.ssh/tether-agent-${session.replace(/[^A-Za-z0-9._-]/g, '_')}.sock"`;
  return `if [ -S "\${SSH_AUTH_SOCK:-}" ] && [ -d "$HOME/.ssh" ] && ln -sfn "$SSH_AUTH_SOCK" ${link} 2>/dev/null; then SSH_AUTH_SOCK=${link}; export SSH_AUTH_SOCK; fi`;
}

function clamp(n: number): number {
  return Math.max(1, Math.min(10000, Math.floor(n)));
}
