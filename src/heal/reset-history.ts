// What the session remembers across resets: the server's facts at connect, and each reset's record and diagnosis.
import { messageOf } from '../common/errors.js';
import type { Diagnosis } from '../diagnosis/classify.js';
import type { ResetRecord } from '../history/record.js';
import { downtimeOf } from '../recovery/index.js';
import type { EndedOutage } from '../recovery/index.js';
import { mergeServerFacts } from '../remote/evidence-parse.js';
import type { ServerFacts } from '../remote/evidence-parse.js';
import { compareServerFacts } from '../remote/server-changes.js';
import { collectFastFacts, collectSlowFacts, recordFromFacts } from '../remote/session-facts.js';
import type { SessionRecord } from '../remote/session-facts.js';
import type { Link } from '../transport/link.js';
import { USER_RETRY } from './evidence.js';
import type { ResetContext } from './evidence.js';
import type { RecordedReset } from './reset-recorder.js';
import { linkExec } from './link-exec.js';
import type { LivenessSlot } from './liveness-slot.js';
import type { Say } from './news.js';
import type { HealingOptions } from './options.js';
import { amendOutage, recordOutage, secs, summaryLine } from './reset-recorder.js';
import { ResetsToday } from './resets-today.js';

/** Outcomes of a `~r` that leave nothing to record: the session is back (or the user quit before). */
const NOT_A_RESET: ReadonlySet<string> = new Set(['restored', 'survived', 'user-quit']);

/** What the history needs from its session. */
export interface ResetHistoryDeps extends Pick<HealingOptions, 'clock' | 'config' | 'recorder' | 'learned' | 'session' | 'debug'> {
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
  recordReset(outage: EndedOutage): void {
    if (outage.trigger === USER_RETRY && NOT_A_RESET.has(outage.end.outcome)) {
      this.afterFacts = undefined;
      this.droppedHeld = 0;
      if (outage.end.outcome !== 'user-quit') this.d.say(`reconnected at your request (~r) in ${secs(downtimeOf(outage))}`, 'info', 6000);
      return;
    }
    const p = this.writeReset(outage).catch((err: unknown) => this.d.debug(`record failed: ${messageOf(err)}`));
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

  private async writeReset(outage: EndedOutage): Promise<void> {
    const { d } = this;
    const after = this.afterFacts;
    const changes = after ? compareServerFacts(this.record, after) : undefined;
    const snap = d.liveness.current.snapshot();
    const ctx: ResetContext = {
      target: { host: d.config.host, hostname: d.config.hostname, port: d.config.port },
      toWall: (m) => d.clock.toWall(m),
      ...(snap.srtt === undefined ? {} : { lastPingRttMs: snap.srtt }),
      keepaliveMs: snap.keepaliveMs,
      ...(d.learned.idleBoundMs === undefined ? {} : { learnedIdleLimitMs: d.learned.idleBoundMs }),
      before: this.record,
      ...(after ? { after } : {}),
      ...(changes ? { changes } : {}),
      tmux: d.tmux(),
    };
    this.afterFacts = undefined;
    const rec = await recordOutage(d.recorder, outage, ctx);
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
    if (link && after) void this.amend(link, rec, outage, ctx, after);
  }

  /** Adds the slow server facts to a record already written (an update line); a changed cause is said again on the bar. */
  private async amend(link: Link, rec: RecordedReset, outage: EndedOutage, ctx: ResetContext, after: ServerFacts): Promise<void> {
    const since = Math.floor(ctx.toWall(outage.lastHeardAt) / 1000) - 5;
    const slow = await collectSlowFacts(linkExec(link), { sinceEpoch: since });
    if (!slow.complete) return;
    const merged = mergeServerFacts(after, slow);
    const amended = await amendOutage(this.d.recorder, rec.record.id, outage, { ...ctx, after: merged, changes: compareServerFacts(ctx.before, merged) });
    if (this.diagnosis === rec.diagnosis) this.diagnosis = amended;
    if (amended.cause !== rec.diagnosis.cause && this.diagnosis === amended) {
      this.d.say(summaryLine(rec.record, amended, rec.learnedKeepaliveMs), 'info', 10_000);
      this.d.pushStatus();
    }
  }
}
