// Turns the evidence scripts' key=value output into typed facts; pure, and tolerant of missing lines and garbage.
import { EVIDENCE_BEGIN, EVIDENCE_END } from './evidence-script.js';

/** A process recorded earlier, as seen now. */
export interface PidFact {
  pid: number;
  alive: boolean;
  /** Epoch seconds the process started (tells a survivor from a reused pid). */
  startEpoch?: number;
  comm?: string;
}

/** What the server's tmux looks like now. */
export interface TmuxFacts {
  /** false when `command -v tmux` failed; undefined when not reported. */
  installed?: boolean;
  /** `tmux -V` as printed. */
  version?: string;
  /** Whether a tmux server answered on the socket. */
  server?: 'running' | 'none' | 'timeout';
  /** Our session: present, or absent (killed, reboot, never created). */
  session?: 'present' | 'absent';
  /** Creation time (epoch s) and active pane pid of our session: its identity across reconnects. */
  sessionCreated?: number;
  panePid?: number;
  /** `<server pid>/$<session id>`: unique while the server runs, so a session recreated within the same second differs. */
  sessionId?: string;
  /** How many clients are attached to it. */
  attached?: number;
  /** The server has what the invisible session's pane log needs (GNU split --filter, tail --pid). */
  logTools?: boolean;
}

/** A kernel out-of-memory line. */
export interface OomLine {
  text: string;
  /** Seconds since boot (dmesg's `[ 123.456]`) or epoch seconds (journal), when readable. */
  bootSeconds?: number;
  epoch?: number;
}

/** Everything the evidence scripts tell about the server; each field is absent when it could not be read. */
export interface ServerFacts {
  /** Whether the end marker was seen (false: the script was cut short, e.g. by a timeout). */
  complete: boolean;
  bootId?: string;
  uptimeSec?: number;
  nowEpoch?: number;
  /** Epoch seconds of the boot (btime in /proc/stat). */
  bootEpoch?: number;
  /** The pid of the script's shell: excluded when looking for our channel's process. */
  selfPid?: number;
  /** The sshd process serving this connection (per-connection `sshd`/`sshd-session`). */
  sshdSessionPid?: number;
  sshdSessionStart?: number;
  /** The listening sshd and when it started: newer than the outage means sshd restarted. */
  sshdMasterPid?: number;
  sshdMasterStart?: number;
  /** How the listener was found: above this session (ancestry), a pidfile or pgrep (maybe another sshd), or named by the server itself (`tether demo`). */
  sshdMasterSource?: 'ancestry' | 'pidfile' | 'pgrep' | 'self';
  /** Pids asked about. */
  pids: PidFact[];
  /** Children of our sshd session other than the script: the interactive shell or tmux client. */
  channels: PidFact[];
  tmux: TmuxFacts;
  loadAvg?: [number, number, number];
  memAvailableKb?: number;
  /** Slow part: kernel OOM lines and sshd journal lines, with whether they could be read. */
  oom: OomLine[];
  oomSource?: 'dmesg' | 'journal';
  dmesgStatus?: 'ok' | 'denied' | 'missing';
  journal: string[];
  journalStatus?: 'ok' | 'empty' | 'failed' | 'missing';
  /** Why the script could not be run at all (exec failed or timed out), when it could not. */
  execError?: string;
  /** Lines inside the markers that were not understood (capped), for the raw evidence. */
  garbage: string[];
}

/** Most garbage lines kept. */
const MAX_GARBAGE = 20;

/** Facts with nothing known. */
export function emptyServerFacts(): ServerFacts {
  return { complete: false, pids: [], channels: [], tmux: {}, oom: [], journal: [], garbage: [] };
}

/** Parses the output of the fast or the slow script (or both concatenated). */
export function parseServerFacts(output: string): ServerFacts {
  const facts = emptyServerFacts();
  let lines = output.split(/\r?\n/);
  const begin = lines.indexOf(EVIDENCE_BEGIN);
  if (begin >= 0) lines = lines.slice(begin + 1);
  for (const line of lines) {
    if (line === EVIDENCE_END) {
      facts.complete = true;
      break;
    }
    if (line === EVIDENCE_BEGIN || line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0 || !applyLine(facts, line.slice(0, eq), line.slice(eq + 1))) {
      if (facts.garbage.length < MAX_GARBAGE) facts.garbage.push(line);
    }
  }
  return facts;
}

/** Sets one key; false when the key or value is not understood. */
function applyLine(f: ServerFacts, key: string, value: string): boolean {
  const v = value.trim();
  switch (key) {
    case 'v':
      return true;
    case 'boot_id':
      return set(/^[0-9a-f-]{8,64}$/i.test(v) ? v.toLowerCase() : undefined, (x) => (f.bootId = x));
    case 'uptime':
      return set(num(v), (x) => (f.uptimeSec = x));
    case 'now':
      return set(int(v), (x) => (f.nowEpoch = x));
    case 'btime':
      return set(int(v), (x) => (f.bootEpoch = x));
    case 'self_pid':
      return set(int(v), (x) => (f.selfPid = x));
    case 'sshd_session_pid':
      return set(int(v), (x) => (f.sshdSessionPid = x));
    case 'sshd_session_start':
      return set(int(v), (x) => (f.sshdSessionStart = x));
    case 'sshd_master_pid':
      return set(int(v), (x) => (f.sshdMasterPid = x));
    case 'sshd_master_start':
      return set(int(v), (x) => (f.sshdMasterStart = x));
    case 'sshd_master_source':
      return set(oneOf(v, ['ancestry', 'pidfile', 'pgrep', 'self'] as const), (x) => (f.sshdMasterSource = x));
    case 'pid':
      return set(pidFact(v), (x) => f.pids.push(x));
    case 'channel_pid':
      return set(pidFact(v), (x) => f.channels.push(x));
    case 'loadavg': {
      const parts = v.split(/\s+/).map(num);
      const [a, b, c] = parts;
      return set(parts.length === 3 && a !== undefined && b !== undefined && c !== undefined ? ([a, b, c] as [number, number, number]) : undefined, (x) => (f.loadAvg = x));
    }
    case 'mem_available_kb':
      return set(int(v), (x) => (f.memAvailableKb = x));
    case 'tmux_installed':
      f.tmux.installed = v !== 'no';
      return true;
    case 'tmux_version':
      if (v === '') return true; // installed but `tmux -V` failed or timed out
      f.tmux.installed = true;
      f.tmux.version = v;
      return true;
    case 'tmux_log':
      f.tmux.logTools = v === 'yes';
      return true;
    case 'tmux_server':
      return set(oneOf(v, ['running', 'none', 'timeout'] as const), (x) => {
        f.tmux.server = x;
        f.tmux.installed ??= true;
      });
    case 'tmux_session':
      return set(oneOf(v, ['present', 'absent'] as const), (x) => (f.tmux.session = x));
    case 'tmux_session_created':
      return set(int(v), (x) => (f.tmux.sessionCreated = x));
    case 'tmux_pane_pid':
      return set(int(v), (x) => (f.tmux.panePid = x));
    case 'tmux_session_id':
      return set(/^\d*\/\$\d+$/.test(v) ? v : undefined, (x) => (f.tmux.sessionId = x));
    case 'tmux_session_attached':
      return set(int(v), (x) => (f.tmux.attached = x));
    case 'dmesg_status':
      return set(oneOf(v, ['ok', 'denied', 'missing'] as const), (x) => (f.dmesgStatus = x));
    case 'journal_status':
      return set(oneOf(v, ['ok', 'empty', 'failed', 'missing'] as const), (x) => (f.journalStatus = x));
    case 'oom':
      f.oomSource = 'dmesg';
      f.oom.push(dmesgLine(value));
      return true;
    case 'oom_journal':
      f.oomSource = 'journal';
      f.oom.push(journalLine(value));
      return true;
    case 'journal':
      f.journal.push(value);
      return true;
    default:
      return false;
  }
}

/** Calls `apply` when the value parsed; reports whether it did. */
function set<T>(x: T | undefined, apply: (x: T) => void): boolean {
  if (x === undefined) return false;
  apply(x);
  return true;
}

function int(s: string): number | undefined {
  return /^\d{1,15}$/.test(s) ? Number(s) : undefined;
}

function num(s: string | undefined): number | undefined {
  return s !== undefined && /^\d{1,15}(\.\d+)?$/.test(s) ? Number(s) : undefined;
}

function oneOf<T extends string>(s: string, values: readonly T[]): T | undefined {
  return (values as readonly string[]).includes(s) ? (s as T) : undefined;
}

/** `PID alive|gone [START] [COMM...]`. */
function pidFact(v: string): PidFact | undefined {
  const [p, state, start, ...comm] = v.split(' ');
  const pid = int(p ?? '');
  if (pid === undefined || (state !== 'alive' && state !== 'gone')) return undefined;
  const fact: PidFact = { pid, alive: state === 'alive' };
  const startEpoch = int(start ?? '');
  if (startEpoch !== undefined) fact.startEpoch = startEpoch;
  const name = (startEpoch === undefined ? [start ?? '', ...comm] : comm).join(' ').trim();
  if (name !== '') fact.comm = name;
  return fact;
}

/** `[ 1234.567890] Out of memory: ...` → boot-relative seconds. */
function dmesgLine(text: string): OomLine {
  const m = /^\[\s*(\d+\.\d+)\]/.exec(text);
  return m?.[1] === undefined ? { text } : { text, bootSeconds: Number(m[1]) };
}

/** `1700000000.123456 host kernel: Out of memory: ...` (short-unix) → epoch seconds. */
function journalLine(text: string): OomLine {
  const m = /^(\d+(?:\.\d+)?)\s/.exec(text);
  return m?.[1] === undefined ? { text } : { text, epoch: Number(m[1]) };
}

/** Fast facts plus the slow part's lines (the slow part only adds OOM and journal fields). */
export function mergeServerFacts(fast: ServerFacts, slow: ServerFacts): ServerFacts {
  const merged: ServerFacts = { ...fast, oom: [...fast.oom, ...slow.oom], journal: [...fast.journal, ...slow.journal] };
  merged.garbage = [...fast.garbage, ...slow.garbage].slice(0, MAX_GARBAGE);
  if (slow.oomSource !== undefined) merged.oomSource = slow.oomSource;
  if (slow.dmesgStatus !== undefined) merged.dmesgStatus = slow.dmesgStatus;
  if (slow.journalStatus !== undefined) merged.journalStatus = slow.journalStatus;
  return merged;
}

/** The epoch time of an OOM line, using the boot time for dmesg's boot-relative stamps. */
export function oomEpoch(line: OomLine, bootEpoch: number | undefined): number | undefined {
  if (line.epoch !== undefined) return line.epoch;
  return line.bootSeconds !== undefined && bootEpoch !== undefined ? bootEpoch + line.bootSeconds : undefined;
}
