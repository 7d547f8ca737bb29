// What the session remembers across resets: the server's facts at connect, and each reset's record and diagnosis.
import { messageOf } from '../../common/errors.js';
import type { Diagnosis } from '../../diagnosis/classify.js';
import type { ResetRecord } from '../../history/record.js';
import type { ResetRecordDraft } from '../../recovery/index.js';
import { mergeServerFacts } from '../../remote/evidence-parse.js';
import type { ServerFacts } from '../../remote/evidence-parse.js';
import { compareServerFacts } from '../../remote/server-changes.js';
import { collectFastFacts, collectSlowFacts, recordFromFacts } from '../../remote/session-facts.js';
import type { SessionRecord } from '../../remote/session-facts.js';
import type { Link } from '../../transport/link.js';
import type { OutageFacts } from './evidence.js';
import type { RecordedReset } from './reset-recorder.js';
import { linkExec } from './link-exec.js';
import type { LivenessSlot } from './liveness-slot.js';
import type { Say } from './news.js';
import type { HealingOptions } from './options.js';
import type { OutageTracker } from './outage-tracker.js';
import { amendOutage, recordOutage, secs, summaryLine } from './reset-recorder.js';
import { ResetsToday } from './resets-today.js';

/** The trigger of a reconnect the user asked for (`~r`): not a reset, nothing to diagnose. */
const USER_RETRY = 'user-retry';
/** Outcomes of a `~r` that leave nothing to record: the session is back (or the user quit before). */
const NOT_A_RESET: ReadonlySet<string> = new Set(['restored', 'survived', 'user-quit']);

/** What the history needs from its session. */
export interface ResetHistoryDeps extends Pick<HealingOptions, 'clock' | 'config' | 'recorder' | 'learned' | 'session' | 'debug'> {
  outage: OutageTracker;
  liveness: LivenessSlot;
  /** Whether the shell runs in tmux (known once the first facts are read). */
  tmux: () => boolean;
  /** The active link now, if any (the slow facts are read over it). */
  currentLink: () => Link | undefined;
  /** An idle-timeout with a known limit: measure the real one. */
  onIdleTimeout: (upperMs: number) => void;
  pushStatus: () => void;
  /** Tells the user (through the port). */
  say: Say;
  /** A reset was written, with its summary line (the session's event port hears it). */
  onRecorded?: (record: ResetRecord, summary: string) => void;
}

/** The session's record of the server and of its resets; every reset recorded is written before exit (bounded). */
export class ResetHistory {
  /** Server facts recorded at connect, compared after a reset. */
  record: SessionRecord = {};
  /** Fast facts read over the newest link before the restore. */
  afterFacts: ServerFacts | undefined;
  private diagnosis: Diagnosis | undefined;
  /** This host's resets since midnight, from the history file and this session. */
  private readonly today: ResetsToday;
  /** Typed bytes dropped because the reconnect gave a new shell (for the summary line). */
  private droppedHeld = 0;
  /** History records still being written. */
  private readonly pendingRecords = new Set<Promise<void>>();

  constructor(private readonly d: ResetHistoryDeps) {
    this.today = new ResetsToday(() => d.clock.wall());
    void this.today.load(d.recorder.historyFile, d.config.host).then(() => d.pushStatus());
  }

  /** The diagnosis of the last reset (amended once the slow facts are in). */
  get lastDiagnosis(): Diagnosis | undefined {
    return this.diagnosis;
  }

  /** This host's resets since local midnight, as the history file has them. */
  get resetsToday(): number {
    return this.today.count();
  }

  /** Typed bytes discarded for a new shell: said in the reset's summary line, which follows at once. */
  noteDroppedInput(bytes: number): void {
    this.droppedHeld = bytes;
  }

  /**
   * Records a reset; kept until written, so a session that ends right after (a refused reconnect, ~.) still logs it.
   * A reconnect the user asked for (`~r`) that brought the session back is not a reset: it is said on the bar and
   * not recorded; if it found the old session gone (or failed), it is recorded with trigger `user`.
   */
  recordReset(draft: ResetRecordDraft): void {
    if (draft.trigger === USER_RETRY && NOT_A_RESET.has(draft.outcome)) {
      this.d.outage.reset();
      this.afterFacts = undefined;
      this.droppedHeld = 0;
      if (draft.outcome !== 'user-quit') this.d.say(`reconnected at your request (~r) in ${secs(draft.downtimeMs)}`, 'info', 6000);
      return;
    }
    const p = this.writeReset(draft).catch((err: unknown) => this.d.debug(`record failed: ${messageOf(err)}`));
    this.pendingRecords.add(p);
    void p.finally(() => this.pendingRecords.delete(p));
  }

  /** Resolves when the records still being written are written, or after 3 s. */
  async settle(): Promise<void> {
    await Promise.race([Promise.allSettled([...this.pendingRecords]), new Promise((r) => setTimeout(r, 3000))]);
  }

  /**
   * Once the shell is up (ready: its first output): record its process and the tmux session's identity, for the next comparison.
   * `server`: the server clock (epoch s) of facts read at `readAt` (mono ms) before the shell opened; when the shell answers,
   * it bounds when our tmux session existed, so a reset before its identity is read can still tell a new one apart.
   */
  async refresh(link: Link, ready: Promise<void> | undefined, server?: { epoch: number | undefined; readAt: number }): Promise<void> {
    const record = this.record;
    const epoch = server?.epoch;
    if (epoch !== undefined && server !== undefined) {
      void ready?.then(
        () => {
          if (this.record === record && record.tmuxSessionCreated === undefined) {
            record.sessionStartedBy = epoch + Math.ceil((this.d.clock.mono() - server.readAt) / 1000);
          }
        },
        () => undefined,
      );
    }
    // as soon as tmux has drawn: the session's identity must be known before the first reset can come
    await Promise.race([ready, new Promise((r) => setTimeout(r, 1000))]);
    if (link.closed) return;
    const facts = await collectFastFacts(linkExec(link), { session: this.d.session, listChannels: true, timeoutMs: 2000 });
    if (facts.complete) this.record = recordFromFacts(facts, this.record);
  }

  private async writeReset(draft: ResetRecordDraft): Promise<void> {
    const { d } = this;
    const after = this.afterFacts;
    const changes = after ? compareServerFacts(this.record, after) : undefined;
    const snap = d.liveness.current.snapshot();
    const toWall = (m: number): number => d.clock.toWall(m);
    const facts: OutageFacts = {
      target: { host: d.config.host, hostname: d.config.hostname, port: d.config.port },
      lastHeardAt: toWall(draft.lastHeardAt),
      detectedAt: toWall(draft.detectedAt),
      ...(draft.restoredAt === undefined ? { endedAt: toWall(draft.detectedAt) + draft.downtimeMs } : { restoredAt: toWall(draft.restoredAt) }),
      trigger: draft.trigger === USER_RETRY ? 'user' : draft.trigger,
      reconnects: draft.attempts,
      outcome: draft.outcome,
      silenceMs: Math.max(0, draft.detectedAt - draft.lastHeardAt),
      ...(snap.srtt === undefined ? {} : { lastPingRttMs: snap.srtt }),
      keepaliveMs: snap.keepaliveMs,
      ...(d.learned.idleBoundMs === undefined ? {} : { learnedIdleLimitMs: d.learned.idleBoundMs }),
      attempts: d.outage.attempts,
      ...(d.outage.icmpReachable === undefined ? {} : { icmpReachable: d.outage.icmpReachable }),
      interfaceChanges: d.outage.interfaceChanges,
      ...(d.outage.drift ? { drift: d.outage.drift } : {}),
      before: this.record,
      ...(after ? { after } : {}),
      ...(changes ? { changes } : {}),
      tmux: d.tmux(),
    };
    d.outage.reset();
    this.afterFacts = undefined;
    const rec = await recordOutage(d.recorder, facts);
    this.diagnosis = rec.diagnosis;
    this.today.add(rec.record.id, Date.parse(rec.record.detectedAt));
    if (rec.learnedKeepaliveMs !== undefined) {
      d.learned.keepaliveMs = rec.learnedKeepaliveMs;
      if (rec.diagnosis.idleLimitMs !== undefined) d.learned.idleBoundMs = rec.diagnosis.idleLimitMs;
      d.liveness.renew();
    }
    if (rec.diagnosis.cause === 'idle-timeout' && rec.diagnosis.idleLimitMs !== undefined) d.onIdleTimeout(rec.diagnosis.idleLimitMs);
    const dropped = this.droppedHeld > 0 ? `; ${this.droppedHeld} typed bytes not sent to the new shell` : '';
    this.droppedHeld = 0;
    d.onRecorded?.(rec.record, `${rec.summary}${dropped}`); // the record and its summary line go out through the port
    d.pushStatus();
    // the slow part (journal, OOM lines) arrives after the user has the shell back
    const link = d.currentLink();
    if (link && after) void this.amend(link, rec, facts, after);
  }

  /** Adds the slow server facts to a record already written (an update line); a changed cause is said again on the bar. */
  private async amend(link: Link, rec: RecordedReset, facts: OutageFacts, after: ServerFacts): Promise<void> {
    const since = Math.floor(facts.lastHeardAt / 1000) - 5;
    const slow = await collectSlowFacts(linkExec(link), { sinceEpoch: since });
    if (!slow.complete) return;
    const merged = mergeServerFacts(after, slow);
    const amended = await amendOutage(this.d.recorder, rec.record.id, { ...facts, after: merged, changes: compareServerFacts(facts.before, merged) });
    if (this.diagnosis === rec.diagnosis) this.diagnosis = amended;
    if (amended.cause !== rec.diagnosis.cause && this.diagnosis === amended) {
      this.d.say(summaryLine(rec.record, amended, rec.learnedKeepaliveMs), 'info', 10_000);
      this.d.pushStatus();
    }
  }
}
