// The server-side evidence scripts: POSIX sh, every probe optional and guarded, output as key=value lines.
import { shScriptCommand } from './exec.js';
import { shQuote } from './shell-quote.js';
import type { TmuxSocket } from './tmux-invocation.js';
import { tmuxQueryPrefix } from './tmux-invocation.js';

/** First and last line of every evidence output; the parser ignores whatever a noisy rc file prints outside. */
export const EVIDENCE_BEGIN = 'tether-evidence-begin';
export const EVIDENCE_END = 'tether-evidence-end';

/** A comment line naming which script this is, so an embedded server (`tether demo`) can answer it itself. */
const KIND_LINE = { fast: '# tether-evidence: fast', slow: '# tether-evidence: slow' } as const;

/** Which evidence script a command runs, if any (the demo's server answers these with facts about itself). */
export function evidenceScriptKind(command: string): 'fast' | 'slow' | undefined {
  if (!command.includes(EVIDENCE_BEGIN)) return undefined;
  if (command.includes(KIND_LINE.fast)) return 'fast';
  if (command.includes(KIND_LINE.slow)) return 'slow';
  return undefined;
}

/** The `SINCE` of a slow evidence command (epoch s), for a server that answers it itself. */
export function slowEvidenceSince(command: string): number | undefined {
  const m = /\bSINCE=(\d+)/.exec(command);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** What the fast script looks at. */
export interface FastEvidenceOptions {
  /** The tmux session to look for (its creation time and pane pid identify it). */
  session?: string;
  /** Pids recorded at connect (shell, tmux client, sshd session) whose survival is evidence. */
  pids?: readonly number[];
  /** Also list the children of our sshd session (the interactive channel's process, at connect). */
  listChannels?: boolean;
  /** A private tmux server (tests). */
  socket?: TmuxSocket;
}

/** Shared helpers: a timeout wrapper when `timeout` exists, and a /proc/PID/stat reader. */
const PRELUDE = `
TAB=$(printf '\\t')
TO=
if command -v timeout >/dev/null 2>&1; then
  if timeout 0.5 true 2>/dev/null; then TO='timeout 0.5'; elif timeout 1 true 2>/dev/null; then TO='timeout 1'; fi
fi
HZ=$(getconf CLK_TCK 2>/dev/null) || HZ=
case "$HZ" in ''|*[!0-9]*) HZ=100;; esac
BTIME=
if [ -r /proc/stat ]; then
  while read -r k v _; do [ "$k" = btime ] && BTIME=$v && break; done </proc/stat
fi
# pstat PID: sets P_COMM, P_STATE (Z: a zombie, dead), P_PPID, P_START (epoch seconds, empty without btime); fails when gone
pstat() {
  P_COMM=; P_STATE=; P_PPID=; P_START=; s=
  [ -r "/proc/$1/stat" ] || return 1
  { read -r s <"/proc/$1/stat"; } 2>/dev/null || return 1
  [ -n "$s" ] || return 1
  P_COMM=\${s#*\\(}; P_COMM=\${P_COMM%\\)*}
  set -- \${s##*\\) }
  [ $# -ge 20 ] || return 1
  P_STATE=$1; P_PPID=$2; shift 19
  case "$1" in ''|*[!0-9]*) ;; *) [ -n "$BTIME" ] && P_START=$((BTIME + $1 / HZ));; esac
  return 0
}
`;

/**
 * The fast part, run over a fresh exec channel right after (re)connect: only /proc reads and one
 * bounded tmux call, so it answers within a round trip. Prints boot_id, uptime, now, the sshd
 * session and master pids with start times (walking up from this shell, so the right sshd is found
 * even with several on one host), given pids alive, tmux state, load and MemAvailable.
 */
export function fastEvidenceScript(opts: FastEvidenceOptions = {}): string {
  const pids = (opts.pids ?? []).filter((p) => Number.isInteger(p) && p > 0).join(' ');
  return [
    `echo ${EVIDENCE_BEGIN}`,
    KIND_LINE.fast,
    PRELUDE,
    `S=${shQuote(opts.session ?? '')}`,
    `PIDS=${shQuote(pids)}`,
    `LIST_CHANNELS=${opts.listChannels === true ? '1' : ''}`,
    `
echo v=1
[ -r /proc/sys/kernel/random/boot_id ] && { read -r b </proc/sys/kernel/random/boot_id; echo "boot_id=$b"; } 2>/dev/null
[ -r /proc/uptime ] && { read -r u _ </proc/uptime; echo "uptime=$u"; } 2>/dev/null
n=$(date +%s 2>/dev/null) && echo "now=$n"
[ -n "$BTIME" ] && echo "btime=$BTIME"
echo "self_pid=$$"
# the topmost sshd counts as the listener only if the walk saw past it (hidepid can hide root's sshd)
p=$$; sess=; master=; mstart=; i=0; CHAIN=; seen_top=
while [ -n "$p" ] && [ $i -lt 32 ]; do
  if [ "$p" -le 1 ] 2>/dev/null; then seen_top=1; break; fi
  CHAIN="$CHAIN $p"
  pstat "$p" || break
  case "$P_COMM" in
    sshd*) if [ -z "$sess" ]; then sess=$p; echo "sshd_session_pid=$p"; [ -n "$P_START" ] && echo "sshd_session_start=$P_START"; fi
           master=$p; mstart=$P_START ;;
    *) if [ -n "$sess" ]; then seen_top=1; break; fi ;;
  esac
  p=$P_PPID; i=$((i + 1))
done
[ -z "$seen_top" ] && master= && mstart=
src=ancestry
if [ -z "$master" ]; then
  src=
  for f in /run/sshd.pid /var/run/sshd.pid; do
    [ -r "$f" ] && { read -r master <"$f"; } 2>/dev/null && [ -n "$master" ] && src=pidfile && break
  done
  if [ -z "$src" ] && command -v pgrep >/dev/null 2>&1; then master=$(pgrep -o -x sshd 2>/dev/null) && src=pgrep; fi
  if [ -n "$src" ] && pstat "$master"; then mstart=$P_START; else master=; fi
fi
if [ -n "$master" ]; then
  echo "sshd_master_pid=$master"; echo "sshd_master_source=$src"
  [ -n "$mstart" ] && echo "sshd_master_start=$mstart"
fi
for p in $PIDS; do
  # a zombie is dead: killed, not yet reaped (its parent died too, or does not wait)
  if pstat "$p"; then
    if [ "$P_STATE" = Z ]; then echo "pid=$p gone"; else echo "pid=$p alive $P_START $P_COMM"; fi
  elif [ -d "/proc/$p" ] || kill -0 "$p" 2>/dev/null || kill -0 "$p" 2>&1 | grep -qi permit; then echo "pid=$p alive"
  else echo "pid=$p gone"; fi
done
if [ -n "$LIST_CHANNELS" ] && [ -n "$sess" ]; then
  # the kernel's child list when it has one (one read), else a scan of every process
  kids=
  if [ -r "/proc/$sess/task/$sess/children" ]; then { read -r kids <"/proc/$sess/task/$sess/children"; } 2>/dev/null
  else for d in /proc/[0-9]*; do kids="$kids \${d#/proc/}"; done
  fi
  for c in $kids; do
    case "$CHAIN " in *" $c "*) continue ;; esac
    pstat "$c" && [ "$P_PPID" = "$sess" ] && [ "$P_STATE" != Z ] && echo "channel_pid=$c alive $P_START $P_COMM"
  done
fi
[ -r /proc/loadavg ] && { read -r l1 l5 l15 _ </proc/loadavg; echo "loadavg=$l1 $l5 $l15"; } 2>/dev/null
if [ -r /proc/meminfo ]; then
  while read -r k v _; do [ "$k" = MemAvailable: ] && echo "mem_available_kb=$v" && break; done </proc/meminfo
fi
`,
    `tm() { $TO ${tmuxQueryPrefix(opts.socket)} "$@"; }`,
    `
if command -v tmux >/dev/null 2>&1; then
  echo "tmux_version=$(tm -V 2>/dev/null)"
  # the invisible session's log needs GNU split --filter and tail --pid
  split --filter=: /dev/null </dev/null 2>/dev/null && tail --pid=$$ -c 0 /dev/null 2>/dev/null && echo tmux_log=yes
  out=$(tm list-sessions -F "#{session_created}$TAB#{pane_pid}$TAB#{session_attached}$TAB#{pid}/#{session_id}$TAB#{session_name}" 2>/dev/null); rc=$?
  if [ $rc -eq 0 ]; then
    echo tmux_server=running
    if [ -n "$S" ]; then
      found=
      while IFS="$TAB" read -r c pp a sid nm; do
        [ "$nm" = "$S" ] && found=1 && echo "tmux_session=present" && echo "tmux_session_created=$c" && echo "tmux_pane_pid=$pp" && echo "tmux_session_attached=$a" && echo "tmux_session_id=$sid"
      done <<EOT
$out
EOT
      [ -z "$found" ] && echo "tmux_session=absent"
    fi
  elif [ $rc -eq 124 ]; then echo tmux_server=timeout
  else echo tmux_server=none; [ -n "$S" ] && echo "tmux_session=absent"
  fi
else
  echo tmux_installed=no
fi
echo ${EVIDENCE_END}`,
  ].join('\n');
}

/** What the slow part looks at. */
export interface SlowEvidenceOptions {
  /** Epoch seconds: only journal lines since then (a little before the link went silent). */
  sinceEpoch: number;
  /** Seconds each of dmesg and journalctl may take (default 2). */
  timeoutSec?: number;
}

/**
 * The slow part, run after the user has the shell back: kernel OOM lines (dmesg, or the kernel
 * journal when dmesg is restricted) and sshd's journal since the outage, where the user may read them.
 */
export function slowEvidenceScript(opts: SlowEvidenceOptions): string {
  const since = Math.max(0, Math.floor(opts.sinceEpoch));
  const t = Math.max(1, Math.floor(opts.timeoutSec ?? 2));
  return [
    `echo ${EVIDENCE_BEGIN}`,
    KIND_LINE.slow,
    `SINCE=${since}`,
    `TO=; command -v timeout >/dev/null 2>&1 && TO='timeout ${t}'`,
    `
echo v=1
OOM='out of memory|oom-kill|oom_reaper|killed process'
if command -v dmesg >/dev/null 2>&1; then
  if k=$($TO dmesg 2>/dev/null) && [ -n "$k" ]; then
    echo dmesg_status=ok
    printf '%s\\n' "$k" | grep -i -E "$OOM" | tail -n 5 | while IFS= read -r line; do echo "oom=$line"; done
  else
    echo dmesg_status=denied
    if command -v journalctl >/dev/null 2>&1; then
      $TO journalctl -k -q --no-pager -o short-unix --since "@$SINCE" 2>/dev/null | grep -i -E "$OOM" | tail -n 5 | while IFS= read -r line; do echo "oom_journal=$line"; done
    fi
  fi
else
  echo dmesg_status=missing
fi
if command -v journalctl >/dev/null 2>&1; then
  j=$($TO journalctl -u ssh -u sshd -q --no-pager -o short-unix --since "@$SINCE" -n 20 2>/dev/null); rc=$?
  if [ $rc -ne 0 ]; then echo journal_status=failed
  elif [ -z "$j" ]; then echo journal_status=empty
  else echo journal_status=ok; printf '%s\\n' "$j" | while IFS= read -r line; do echo "journal=$line"; done
  fi
else
  echo journal_status=missing
fi
`,
    `echo ${EVIDENCE_END}`,
  ].join('\n');
}

/** The fast script as a command string for RemoteExec. */
export function fastEvidenceCommand(opts: FastEvidenceOptions = {}): string {
  return shScriptCommand(fastEvidenceScript(opts));
}

/** The slow script as a command string for RemoteExec. */
export function slowEvidenceCommand(opts: SlowEvidenceOptions): string {
  return shScriptCommand(slowEvidenceScript(opts));
}
