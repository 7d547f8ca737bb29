// What changed on the server between connect and now: plain facts for the diagnosis, each with its evidence line.
import type { PidFact, ServerFacts } from './evidence-parse.js';
import { oomEpoch } from './evidence-parse.js';
import type { SessionRecord } from './session-facts.js';

/** Seconds of slack when comparing start times computed from btime (clock adjustments, rounding). */
const START_SLACK_SEC = 2;

/** Each field is true/false when both sides were readable, undefined when not known. */
export interface ServerChanges {
  /** boot_id differs, or the boot is newer than our record. */
  rebooted?: boolean;
  /** The listening sshd is a different process than at connect (restart or crash + restart). */
  sshdRestarted?: boolean;
  /** Epoch seconds the current sshd master started. */
  sshdMasterStart?: number;
  /** Our per-connection sshd process is gone (killed, OOM, or it noticed the dead link). */
  sshdSessionGone?: boolean;
  /** The interactive channel's process (shell or tmux client) is gone. */
  channelGone?: boolean;
  /** Our tmux session is gone, or was replaced by a new one of the same name. */
  tmuxSessionGone?: boolean;
  /** Kernel OOM lines logged after our record (when the kernel log was readable). */
  oomSinceConnect: string[];
  /** The sshd journal lines read (since the outage). */
  journal: string[];
  /** One plain sentence per fact above, for the diagnosis' evidence and the history log. */
  evidence: string[];
}

/** Compares the record made at connect with the facts read after the reconnect. */
export function compareServerFacts(before: SessionRecord, now: ServerFacts): ServerChanges {
  const c: ServerChanges = { oomSinceConnect: [], journal: now.journal, evidence: [] };
  const ev = (s: string): void => void c.evidence.push(s);

  if (before.bootId !== undefined && now.bootId !== undefined) {
    c.rebooted = before.bootId !== now.bootId;
    ev(c.rebooted ? `server rebooted: boot_id ${before.bootId} → ${now.bootId}` : `same boot (boot_id ${now.bootId})`);
  } else if (before.bootEpoch !== undefined && now.bootEpoch !== undefined) {
    c.rebooted = Math.abs(now.bootEpoch - before.bootEpoch) > 60;
    ev(c.rebooted ? `server rebooted: booted at ${iso(now.bootEpoch)}` : `same boot (booted ${iso(now.bootEpoch)})`);
  } else if (before.recordedAt !== undefined && now.nowEpoch !== undefined && now.uptimeSec !== undefined) {
    c.rebooted = now.uptimeSec < now.nowEpoch - before.recordedAt;
    if (c.rebooted) ev(`server rebooted: up ${Math.round(now.uptimeSec)} s, less than the time since connect`);
  }

  if (now.sshdMasterStart !== undefined) c.sshdMasterStart = now.sshdMasterStart;
  if (before.sshdMasterPid !== undefined && now.sshdMasterPid !== undefined) {
    c.sshdRestarted =
      before.sshdMasterPid !== now.sshdMasterPid || differs(before.sshdMasterStart, now.sshdMasterStart) === true;
    ev(
      c.sshdRestarted
        ? `sshd restarted: listener pid ${before.sshdMasterPid} → ${now.sshdMasterPid}` +
            (now.sshdMasterStart === undefined ? '' : `, started ${iso(now.sshdMasterStart)}`)
        : `sshd listener unchanged (pid ${now.sshdMasterPid})`,
    );
  }

  c.sshdSessionGone = survived(before.sshdSessionPid, before.sshdSessionStart, now.pids);
  if (c.sshdSessionGone !== undefined) {
    ev(`our sshd session process ${String(before.sshdSessionPid)} ${c.sshdSessionGone ? 'is gone' : 'is still alive'}`);
  }
  c.channelGone = survived(before.channelPid, before.channelStart, now.pids);
  if (c.channelGone !== undefined) {
    ev(`the session's shell process ${String(before.channelPid)} ${c.channelGone ? 'is gone' : 'is still alive'}`);
  }

  if (before.tmuxSessionId !== undefined && now.tmux.session === 'present' && now.tmux.sessionId !== undefined) {
    c.tmuxSessionGone = now.tmux.sessionId !== before.tmuxSessionId;
    ev(c.tmuxSessionGone ? `the tmux session is gone (tmux id ${before.tmuxSessionId} → ${now.tmux.sessionId})` : 'the tmux session survived');
  } else if (before.tmuxSessionCreated !== undefined && now.tmux.session !== undefined) {
    c.tmuxSessionGone =
      now.tmux.session === 'absent' ||
      (now.tmux.sessionCreated !== undefined && now.tmux.sessionCreated !== before.tmuxSessionCreated);
    ev(c.tmuxSessionGone ? 'the tmux session is gone' : 'the tmux session survived');
  } else if (before.sessionStartedBy !== undefined && now.tmux.session === 'present' && now.tmux.sessionCreated !== undefined) {
    // the identity was never read (the link broke in the session's first moments): a session
    // created after ours had surely started is a new one of the same name
    c.tmuxSessionGone = now.tmux.sessionCreated > before.sessionStartedBy + 1;
    ev(
      c.tmuxSessionGone
        ? `the tmux session was created ${iso(now.tmux.sessionCreated)}, after ours had started: the old one is gone`
        : 'the tmux session survived (created before ours had started)',
    );
  } else if (before.sessionStartedBy !== undefined && now.tmux.session === 'absent') {
    c.tmuxSessionGone = true;
    ev('the tmux session is gone');
  }

  for (const line of now.oom) {
    const at = oomEpoch(line, now.bootEpoch);
    if (before.recordedAt === undefined || at === undefined || at >= before.recordedAt - START_SLACK_SEC) {
      c.oomSinceConnect.push(line.text);
    }
  }
  if (c.oomSinceConnect.length > 0) ev(`kernel OOM: ${c.oomSinceConnect[c.oomSinceConnect.length - 1] ?? ''}`);
  return c;
}

/** True when the pid is gone or is now another process (different start), false when it survived. */
function survived(pid: number | undefined, start: number | undefined, pids: readonly PidFact[]): boolean | undefined {
  if (pid === undefined) return undefined;
  const seen = pids.find((p) => p.pid === pid);
  if (seen === undefined) return undefined;
  if (!seen.alive) return true;
  return differs(start, seen.startEpoch) === true;
}

function differs(a: number | undefined, b: number | undefined): boolean | undefined {
  return a === undefined || b === undefined ? undefined : Math.abs(a - b) > START_SLACK_SEC;
}

function iso(epoch: number): string {
  return new Date(epoch * 1000).toISOString();
}
