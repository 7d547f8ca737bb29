// What tether records about the server at connect, to compare with what it finds after a reset.
import { messageOf } from '../common/errors.js';
import type { RemoteExec } from './exec.js';
import type { FastEvidenceOptions, SlowEvidenceOptions } from './evidence-script.js';
import { fastEvidenceCommand, slowEvidenceCommand } from './evidence-script.js';
import type { ServerFacts } from './evidence-parse.js';
import { emptyServerFacts, parseServerFacts } from './evidence-parse.js';
import type { TmuxVersion } from './tmux-invocation.js';
import { parseTmuxVersion } from './tmux-invocation.js';

/** The exec timeout of the fast script: it must never hold up a restore for long. */
export const FAST_EVIDENCE_TIMEOUT_MS = 300;
/** The exec timeout of the slow script (journal, dmesg), run after the user has the shell back. */
export const SLOW_EVIDENCE_TIMEOUT_MS = 5000;

/**
 * Runs the fast evidence script over a fresh exec channel and parses it. Never throws: a failed
 * or timed-out exec gives facts with `execError` set, so evidence can never break a restore.
 */
export async function collectFastFacts(
  exec: RemoteExec,
  opts: FastEvidenceOptions & { timeoutMs?: number } = {},
): Promise<ServerFacts> {
  return runFacts(exec, fastEvidenceCommand(opts), opts.timeoutMs ?? FAST_EVIDENCE_TIMEOUT_MS);
}

/** Runs the slow part (OOM lines, sshd journal); merge with `mergeServerFacts`. Never throws. */
export async function collectSlowFacts(
  exec: RemoteExec,
  opts: SlowEvidenceOptions & { timeoutMs?: number },
): Promise<ServerFacts> {
  return runFacts(exec, slowEvidenceCommand(opts), opts.timeoutMs ?? SLOW_EVIDENCE_TIMEOUT_MS);
}

async function runFacts(exec: RemoteExec, command: string, timeoutMs: number): Promise<ServerFacts> {
  try {
    const r = await exec(command, { timeoutMs });
    const facts = parseServerFacts(r.stdout);
    if (!facts.complete && r.code !== 0) facts.execError = `exit ${String(r.code)}: ${r.stderr.trim().slice(0, 200)}`;
    return facts;
  } catch (err) {
    const facts = emptyServerFacts();
    facts.execError = messageOf(err);
    return facts;
  }
}

/** What is recorded at connect (and refreshed once the interactive channel is up). */
export interface SessionRecord {
  /** Server clock (epoch s) when recorded: the outage is later than this. */
  recordedAt?: number;
  bootId?: string;
  bootEpoch?: number;
  /** The per-connection sshd process and its start (start tells a survivor from a reused pid). */
  sshdSessionPid?: number;
  sshdSessionStart?: number;
  /** The listening sshd. */
  sshdMasterPid?: number;
  sshdMasterStart?: number;
  /** The interactive channel's process: the login shell, or the tmux client. */
  channelPid?: number;
  channelStart?: number;
  tmuxInstalled?: boolean;
  tmuxVersion?: TmuxVersion;
  /** Our tmux session's identity: creation time and active pane pid. */
  tmuxSessionCreated?: number;
  tmuxPanePid?: number;
  /** tmux's own id of our session (server pid and session id), when tmux reported it. */
  tmuxSessionId?: string;
  /**
   * Server clock (epoch s) by which our tmux session existed: the shell had answered by then.
   * Until tmuxSessionCreated is read, a session created later than this is not ours.
   */
  sessionStartedBy?: number;
}

/**
 * The record from facts read at connect. Call it with the facts read before opening the shell
 * (boot, sshd, tmux presence), then again with `previous` once the shell is up (with
 * `listChannels: true` and the session name), which adds the channel pid and the tmux session.
 */
export function recordFromFacts(facts: ServerFacts, previous: SessionRecord = {}): SessionRecord {
  const r: SessionRecord = { ...previous };
  const assign = <K extends keyof SessionRecord>(key: K, value: SessionRecord[K] | undefined): void => {
    if (value !== undefined) r[key] = value;
  };
  assign('recordedAt', facts.nowEpoch);
  assign('bootId', facts.bootId);
  assign('bootEpoch', facts.bootEpoch);
  assign('sshdSessionPid', facts.sshdSessionPid);
  assign('sshdSessionStart', facts.sshdSessionStart);
  assign('sshdMasterPid', facts.sshdMasterPid);
  assign('sshdMasterStart', facts.sshdMasterStart);
  assign('tmuxInstalled', facts.tmux.installed);
  assign('tmuxVersion', facts.tmux.version === undefined ? undefined : parseTmuxVersion(facts.tmux.version));
  assign('tmuxSessionCreated', facts.tmux.session === 'present' ? facts.tmux.sessionCreated : undefined);
  assign('tmuxPanePid', facts.tmux.session === 'present' ? facts.tmux.panePid : undefined);
  assign('tmuxSessionId', facts.tmux.session === 'present' ? facts.tmux.sessionId : undefined);
  // the oldest child of our sshd session is the interactive channel (later ones are exec channels)
  const channel = [...facts.channels].sort((a, b) => (a.startEpoch ?? Infinity) - (b.startEpoch ?? Infinity) || a.pid - b.pid)[0];
  if (channel !== undefined) {
    r.channelPid = channel.pid;
    if (channel.startEpoch !== undefined) r.channelStart = channel.startEpoch;
    else delete r.channelStart;
  }
  return r;
}

/** The pids whose survival the fast script checks after a reset. */
export function pidsToCheck(record: SessionRecord): number[] {
  const pids = [record.sshdSessionPid, record.channelPid, record.tmuxPanePid].filter((p): p is number => p !== undefined);
  return [...new Set(pids)];
}
