// The healing interactive session: one loop owns the timers, runs the recovery machine, and carries out its effects
// on real links, the remote tmux session and the terminal UI.
import type { Disposable } from '../../common/disposable.js';
import { errorCode, messageOf } from '../../common/errors.js';
import type { EffectiveConfig } from '../../config/types.js';
import type { Diagnosis } from '../../diagnosis/classify.js';
import { collectFastFacts, collectSlowFacts, pidsToCheck, recordFromFacts } from '../../remote/session-facts.js';
import type { SessionRecord } from '../../remote/session-facts.js';
import { mergeServerFacts } from '../../remote/evidence-parse.js';
import type { ServerFacts } from '../../remote/evidence-parse.js';
import { decideReattach } from '../../remote/reattach.js';
import { compareServerFacts } from '../../remote/server-changes.js';
import { NO_TMUX_NOTICE, buildInteractiveCommand } from '../../remote/tmux-command.js';
import type { InteractiveCommand } from '../../remote/tmux-command.js';
import { HeldInput, LivenessEstimator, MIN_KEEPALIVE_MS, createSessionMachine, detectSuspend, initialSessionState } from '../../recovery/index.js';
import { measureIdleLimit } from './idle-measure.js';
import type { ResetRecordDraft, SessionEffect, SessionEvent, SessionMachine, SessionState } from '../../recovery/index.js';
import type { TerminalUI, UIAction } from '../../terminal/ui.js';
import { escapeHelp, parseEscapeChar } from '../../terminal/escape.js';
import { connect } from '../../transport/connect.js';
import type { ConnectOptions } from '../../transport/connect.js';
import type { Link } from '../../transport/link.js';
import type { RemoteSession } from '../../transport/session.js';
import type { SessionClock } from './clock.js';
import type { CredentialCache } from '../../transport/credential-cache.js';
import { hopPins } from '../../transport/connect.js';
import { linkExec } from './link-exec.js';
import { diffInterfaces, snapshotInterfaces } from './netwatch.js';
import type { InterfaceSnapshot } from './netwatch.js';
import { OutageTracker } from './outage-tracker.js';
import { LinkPool } from './link-pool.js';
import { openRemoteShell } from './remote-shell.js';
import type { ShellSpec } from './remote-shell.js';
import { amendOutage, recordOutage } from './reset-recorder.js';
import type { OutageFacts } from './evidence.js';
import type { RecorderDeps } from './reset-recorder.js';
import { outageInfo, statusSnapshot } from './status.js';

/** Everything a healing session needs, built by main. */
export interface HealingOptions {
  config: EffectiveConfig;
  first: Link;
  /** Keys decrypted and passwords typed at the first connection, replayed on reconnects (memory only). */
  credentials: CredentialCache;
  resolveHop: (spec: string) => Promise<EffectiveConfig>;
  ui: TerminalUI;
  uiStart: () => void;
  session: string;
  useTmux: boolean;
  term: string;
  env: Record<string, string>;
  recorder: RecorderDeps;
  learned: { keepaliveMs?: number; idleBoundMs?: number; srttMs?: number };
  /** tether settings: idle keep-alive before anything is learned, and the held-input bound. */
  defaultKeepaliveMs: number;
  heldInputBytes: number;
  clock: SessionClock;
  random: () => number;
  /** Re-requests -R forwards on a new link; disposed with that link. */
  startRemoteForwards: (link: Link) => Promise<Disposable>;
  /** The current link, for -L/-D listeners. */
  setCurrentLink: (link: Link | undefined) => void;
  stderr: NodeJS.WritableStream;
  quiet: boolean;
  /** Trace lines (TETHER_DEBUG_LOG); a no-op normally. */
  debug: (line: string) => void;
}

/** How often the network interfaces are compared (cheap: one syscall). */
const NETWATCH_MS = 1000;
/** A reconnect attempt's limit for TCP + handshake + auth. */
const ATTEMPT_TIMEOUT_MS = 10_000;

/** The session; run() resolves to the exit status. */
export class HealingSession {
  private readonly machine: SessionMachine;
  private state: SessionState;
  /** Links by the machine's ids. */
  private readonly pool: LinkPool;
  /** The interactive channel and the link it runs on. */
  private shell: { session: RemoteSession; linkId: number; ready: Promise<void> } | undefined;
  private liveness: LivenessEstimator;
  private readonly held: HeldInput;
  private readonly outage = new OutageTracker();
  /** Server facts recorded at connect, compared after a reset. */
  private record: SessionRecord = {};
  /** Fast facts read over the newest link before the restore. */
  private afterFacts: ServerFacts | undefined;
  private readonly command: InteractiveCommand;
  private readonly shellSpec: ShellSpec;
  private lastDiagnosis: Diagnosis | undefined;
  private resetsToday = 0;
  /** The one loop timer and what it was set for (a late wake is evidence of a suspend). */
  private timer: NodeJS.Timeout | undefined;
  private timerSet = { mono: 0, due: 0, wall: 0 };
  private netSnapshot: InterfaceSnapshot;
  private nextNetCheck = 0;
  /** Resumes a shell paused by terminal backpressure. */
  private resumeShell: (() => void) | undefined;
  private finished: ((code: number) => void) | undefined;
  /** What to print once the terminal is restored (`Connection to host closed.`, a fatal error). */
  exitMessage: string | undefined;
  private readonly subs: Disposable[] = [];
  private noTmuxSaid = false;
  /** The last snapshot given to the bar, serialized. */
  private lastStatusKey = '';
  /** Typed bytes dropped because the reconnect gave a new shell (for the summary line). */
  private droppedHeld = 0;
  /** History records still being written. */
  private readonly pendingRecords = new Set<Promise<void>>();
  /** A running idle-limit measurement (aborted at exit). */
  private measuring: AbortController | undefined;
  /** Host keys of the ProxyJump hops at the first connection: pinned like the destination's. */
  private readonly hopKeys: ReturnType<typeof hopPins>;

  constructor(private readonly o: HealingOptions) {
    this.machine = createSessionMachine({ random: o.random });
    this.held = new HeldInput(o.heldInputBytes);
    this.hopKeys = hopPins(o.first);
    this.pool = new LinkPool({
      clock: o.clock,
      hostname: o.config.hostname,
      port: o.config.port,
      outage: this.outage,
      connectOptions: () => this.reconnectOptions(),
      state: () => this.state,
      liveness: () => this.liveness,
      dispatch: (e) => this.dispatch(e),
      running: () => this.finished !== undefined,
      setCurrentLink: o.setCurrentLink,
      onRtt: () => this.pushStatus(),
    });
    this.state = initialSessionState(1);
    this.liveness = this.newLiveness(o.clock.mono());
    this.netSnapshot = snapshotInterfaces();
    this.command = { command: undefined, restoreMode: 'plain-shell' };
    this.shellSpec = { command: this.command, term: o.term, env: o.env, agentForward: o.config.forwardAgent };
  }

  /** Opens the shell on the first link, takes over the terminal, and heals until the session ends. */
  async run(): Promise<number> {
    const { o } = this;
    const first = o.first;
    const facts = await collectFastFacts(linkExec(first), { session: o.session, timeoutMs: 3000 });
    this.record = recordFromFacts(facts);
    const cmd = buildInteractiveCommand({
      session: o.session,
      tmux: o.useTmux ? 'auto' : 'off',
      ...(facts.tmux.installed === undefined ? {} : { tmuxInstalled: facts.tmux.installed }),
      ...(this.record.tmuxVersion ? { tmuxVersion: this.record.tmuxVersion } : {}),
    });
    Object.assign(this.command, cmd);
    if (o.useTmux && facts.tmux.installed === false) this.sayNoTmux();
    this.pool.adopt(1, first);
    const h1 = this.pool.get(1);
    if (h1) h1.forwards = await o.startRemoteForwards(first);
    o.uiStart();
    this.wireUi();
    const size = o.ui.remoteSize();
    this.shell = { ...(await openRemoteShell(first, this.shellSpec, size, this.sink())), linkId: 1 };
    this.watchShell(this.shell);
    void this.refreshRecord(first);
    const done = new Promise<number>((resolve) => {
      this.finished = resolve;
    });
    this.reschedule();
    this.pushStatus();
    const code = await done;
    await Promise.race([Promise.allSettled([...this.pendingRecords]), new Promise((r) => setTimeout(r, 3000))]);
    this.teardown();
    return code;
  }

  // ---- the loop ---------------------------------------------------------------------------------

  private dispatch(event: SessionEvent): void {
    const now = this.o.clock.mono();
    const t = this.machine.reduce(this.state, event, now);
    if (event.type !== 'tick' || t.effects.length > 0) {
      this.o.debug(`event ${JSON.stringify(event)} ${this.state.name} -> ${t.state.name} effects ${JSON.stringify(t.effects.map((e) => e.type))}`);
    }
    this.state = t.state;
    for (const fx of t.effects) this.perform(fx);
    this.pushStatus();
    this.reschedule();
  }

  private reschedule(): void {
    if (this.finished === undefined) return;
    const now = this.o.clock.mono();
    const live = this.state.name === 'connected' || this.state.name === 'suspect' ? this.liveness.nextDeadline() : Infinity;
    // a deadline already past fires now; measuring lateness from it would read a slow start-up as a suspend
    const due = Math.max(now, Math.min(this.machine.nextDeadline(this.state), live, this.nextNetCheck));
    if (this.timer) clearTimeout(this.timer);
    this.timerSet = { mono: now, due, wall: this.o.clock.wall() };
    this.timer = setTimeout(() => this.wake(), Math.max(0, due - now));
  }

  private wake(): void {
    this.timer = undefined;
    const now = this.o.clock.mono();
    const report = detectSuspend({
      setAtMono: this.timerSet.mono,
      dueAtMono: this.timerSet.due,
      firedAtMono: now,
      setAtWall: this.timerSet.wall,
      firedAtWall: this.o.clock.wall(),
    });
    if (report) {
      this.outage.noteDrift({ timerLateMs: report.lateByMs, wallAheadOfMonotonicMs: report.wallDriftMs, detectedAt: this.o.clock.wall() });
      this.dispatch({ type: 'suspend-detected', awayMs: report.awayMs });
    }
    if (this.state.name === 'connected' || this.state.name === 'suspect') {
      for (let i = 0; i < 4 && this.liveness.nextDeadline() <= now; i++) {
        const v = this.liveness.tick(now);
        const linkId = this.state.linkId;
        if (v === 'send-ping' && linkId !== undefined) this.pool.ping(linkId);
        else if ((v === 'suspect' || v === 'dead') && linkId !== undefined) {
          this.dispatch({ type: 'liveness', linkId, verdict: v, lastHeardAt: this.liveness.snapshot().lastHeardAt });
        }
      }
    }
    if (now >= this.nextNetCheck) this.checkNetwork(now);
    if (this.machine.nextDeadline(this.state) <= now) this.dispatch({ type: 'tick' });
    this.pushStatus();
    this.reschedule();
  }

  private checkNetwork(now: number): void {
    this.nextNetCheck = now + NETWATCH_MS;
    const snap = snapshotInterfaces();
    const changes = diffInterfaces(this.netSnapshot, snap, this.o.clock.wall());
    this.netSnapshot = snap;
    if (changes.length === 0) return;
    this.outage.interfaceChanges.push(...changes);
    if (changes.some((c) => c.kind !== 'down')) this.dispatch({ type: 'network-changed' });
  }

  // ---- effects ----------------------------------------------------------------------------------

  private perform(fx: SessionEffect): void {
    switch (fx.type) {
      case 'openLink':
      case 'openParallelLink':
        this.pool.open(fx.linkId, fx.type === 'openParallelLink');
        break;
      case 'closeLink':
        this.closeLink(fx.linkId);
        break;
      case 'scheduleAttempt':
        break;
      case 'startProbe':
        this.pool.probe();
        break;
      case 'checkLink':
        this.liveness.expectReply(this.o.clock.mono());
        this.pool.ping(fx.linkId);
        break;
      case 'restore':
        void this.restore(fx.linkId);
        break;
      case 'flushHeldInput': {
        const shell = this.shell;
        if (shell?.linkId !== fx.linkId || this.held.status().bytes === 0) break;
        // after tmux has drawn: input that arrives while its client attaches can be flushed away
        void shell.ready.then(() => {
          const bytes = this.held.flush();
          if (bytes.length > 0 && this.shell === shell) shell.session.stdin.write(Buffer.from(bytes));
        });
        break;
      }
      case 'discardHeldInput': {
        const n = this.held.status().bytes;
        this.held.clear();
        // said in the reset's summary line, which follows at once (a flash of its own would be overwritten)
        this.droppedHeld = n;
        break;
      }
      case 'recordReset': {
        // kept until written: a session that ends right after (a refused reconnect, ~.) still logs its reset
        const p = this.recordReset(fx.record).catch((err: unknown) => this.o.debug(`record failed: ${messageOf(err)}`));
        this.pendingRecords.add(p);
        void p.finally(() => this.pendingRecords.delete(p));
        break;
      }
      case 'notify':
        this.o.ui.flash(fx.message, fx.level === 'info' ? 4000 : 8000);
        break;
      case 'exit':
        this.exitMessage ??= fx.message || undefined;
        this.finish(fx.code);
        break;
    }
  }

  private closeLink(id: number): void {
    if (this.shell?.linkId === id) {
      this.shell.session.dispose();
      this.shell = undefined;
    }
    this.pool.close(id);
  }

  /** Reattach on a new link: facts first (bounded), then the shell, resize, forwards; always ends in restore-done. */
  private async restore(id: number): Promise<void> {
    const h = this.pool.get(id);
    if (!h) return;
    const { o } = this;
    try {
      // the shell first (tmux -A reattaches at once); the facts in parallel: the decision compares the tmux
      // session's creation time, so it is right whichever ran first
      if (this.shell) this.shell.session.dispose();
      this.shell = undefined;
      const factsP = collectFastFacts(linkExec(h.link), { session: o.session, pids: pidsToCheck(this.record), timeoutMs: 2000 });
      this.shell = { ...(await openRemoteShell(h.link, this.shellSpec, o.ui.remoteSize(), this.sink())), linkId: id };
      this.watchShell(this.shell);
      this.liveness = this.newLiveness(o.clock.mono());
      const fast = await factsP;
      this.afterFacts = fast;
      const decision = decideReattach({ restoreMode: this.command.restoreMode, before: this.record, now: fast });
      o.debug(`restore link ${id}: record ${JSON.stringify(this.record)} facts ${JSON.stringify(fast)} decision ${JSON.stringify(decision)}`);
      h.forwards = await o.startRemoteForwards(h.link).catch(() => undefined);
      if (decision.outcome === 'new-session') o.ui.flash(decision.notice, 10_000);
      this.dispatch({ type: 'restore-done', linkId: id, newSession: decision.outcome === 'new-session' });
      this.record = recordFromFacts(fast, { ...this.record, ...(decision.outcome === 'new-session' ? { tmuxSessionCreated: undefined } : {}) });
      void this.refreshRecord(h.link);
    } catch (err) {
      this.dispatch({ type: 'link-error', linkId: id, kind: 'remote', code: errorCode(err) ?? 'restore-failed', fatal: false, message: messageOf(err) });
    }
  }

  /** Once the shell is up: record its process and the tmux session's identity, for the next comparison. */
  private async refreshRecord(link: Link): Promise<void> {
    // as soon as tmux has drawn: the session's identity must be known before the first reset can come
    await Promise.race([this.shell?.ready, new Promise((r) => setTimeout(r, 1000))]);
    if (link.closed) return;
    const facts = await collectFastFacts(linkExec(link), { session: this.o.session, listChannels: true, timeoutMs: 2000 });
    if (facts.complete) this.record = recordFromFacts(facts, this.record);
  }

  private async recordReset(draft: ResetRecordDraft): Promise<void> {
    const { o } = this;
    const after = this.afterFacts;
    const changes = after ? compareServerFacts(this.record, after) : undefined;
    const snap = this.liveness.snapshot();
    const toWall = (m: number): number => o.clock.toWall(m);
    const facts: OutageFacts = {
      target: { host: o.config.host, hostname: o.config.hostname, port: o.config.port },
      lastHeardAt: toWall(draft.lastHeardAt),
      detectedAt: toWall(draft.detectedAt),
      ...(draft.restoredAt === undefined ? {} : { restoredAt: toWall(draft.restoredAt) }),
      trigger: draft.trigger,
      silenceMs: Math.max(0, draft.detectedAt - draft.lastHeardAt),
      ...(snap.srtt === undefined ? {} : { lastPingRttMs: snap.srtt }),
      keepaliveMs: snap.keepaliveMs,
      ...(o.learned.idleBoundMs === undefined ? {} : { learnedIdleLimitMs: o.learned.idleBoundMs }),
      attempts: this.outage.attempts,
      ...(this.outage.icmpReachable === undefined ? {} : { icmpReachable: this.outage.icmpReachable }),
      interfaceChanges: this.outage.interfaceChanges,
      ...(this.outage.drift ? { drift: this.outage.drift } : {}),
      before: this.record,
      ...(after ? { after } : {}),
      ...(changes ? { changes } : {}),
      tmux: this.command.restoreMode === 'tmux',
    };
    this.outage.reset();
    this.afterFacts = undefined;
    const rec = await recordOutage(o.recorder, draft, facts);
    this.lastDiagnosis = rec.diagnosis;
    this.resetsToday++;
    if (rec.learnedKeepaliveMs !== undefined) {
      o.learned.keepaliveMs = rec.learnedKeepaliveMs;
      if (rec.diagnosis.idleLimitMs !== undefined) o.learned.idleBoundMs = rec.diagnosis.idleLimitMs;
      this.liveness = this.newLiveness(o.clock.mono());
    }
    if (rec.diagnosis.cause === 'idle-timeout' && rec.diagnosis.idleLimitMs !== undefined) void this.measureIdle(rec.diagnosis.idleLimitMs);
    const dropped = this.droppedHeld > 0 ? `; ${this.droppedHeld} typed bytes not sent to the new shell` : '';
    this.droppedHeld = 0;
    o.ui.flash(`${rec.summary}${dropped}`, 10_000);
    this.pushStatus();
    // the slow part (journal, OOM lines) arrives after the user has the shell back
    const link = this.pool.get(this.state.linkId ?? -1)?.link;
    if (link && after) void this.amend(link, rec.record.id, facts, after);
  }

  /** Adds the slow server facts to a record already written (an update line). */
  private async amend(link: Link, id: string, facts: OutageFacts, after: ServerFacts): Promise<void> {
    const { o } = this;
    const since = Math.floor(facts.lastHeardAt / 1000) - 5;
    const slow = await collectSlowFacts(linkExec(link), { sinceEpoch: since });
    if (!slow.complete) return;
    const merged = mergeServerFacts(after, slow);
    const d = await amendOutage(o.recorder, id, { ...facts, after: merged, changes: compareServerFacts(facts.before, merged) });
    this.lastDiagnosis = d;
  }

  /** After an idle-timeout: measure the real limit at once (see idle-measure.ts), pinging at the floor meanwhile. */
  private async measureIdle(upperMs: number): Promise<void> {
    const { o } = this;
    if (this.measuring) return;
    this.measuring = new AbortController();
    o.learned.keepaliveMs = MIN_KEEPALIVE_MS;
    this.liveness = this.newLiveness(o.clock.mono());
    try {
      const known = o.recorder.hostState?.get(o.recorder.hostStateKey) ?? {};
      const r = await measureIdleLimit({
        open: () => connect({ ...this.reconnectOptions(), config: { ...o.config, connectionAttempts: 1, tcpKeepAlive: false } }),
        bounds: { lowerMs: Math.min(known.idleSurvivedMs ?? 0, upperMs - 1), upperMs },
        signal: this.measuring.signal,
        debug: o.debug,
      });
      if (!r) return;
      o.learned.keepaliveMs = r.keepaliveMs;
      if (r.bounds.upperMs !== undefined) o.learned.idleBoundMs = r.bounds.upperMs;
      o.recorder.hostState?.update(o.recorder.hostStateKey, {
        ...(r.bounds.upperMs === undefined ? {} : { idleBoundMs: r.bounds.upperMs }),
        idleSurvivedMs: r.bounds.lowerMs,
        keepaliveMs: r.keepaliveMs,
      });
      this.liveness = this.newLiveness(o.clock.mono());
      o.ui.flash(r.summary, 8000);
      this.pushStatus();
    } catch (err) {
      o.debug(`idle probes failed: ${messageOf(err)}`);
    } finally {
      this.measuring = undefined;
    }
  }

  /** What every reconnect (and sacrificial probe) connects with: pinned keys, remembered credentials, no prompts. */
  private reconnectOptions(): ConnectOptions {
    const { o } = this;
    return {
      // retries belong to the recovery loop, not to ConnectionAttempts
      config: { ...o.config, connectionAttempts: 1 },
      // never ask while the terminal is raw: what the first connection learned is all there is
      prompter: {
        secret: () => Promise.resolve(undefined),
        confirm: () => Promise.resolve(undefined),
        info: (line) => o.ui.flash(line.split('\n')[0] ?? line, 8000),
      },
      credentials: o.credentials,
      pinnedHostKey: o.first.hostKey,
      pinnedHopKeys: this.hopKeys,
      resolveHop: o.resolveHop,
      timeoutMs: ATTEMPT_TIMEOUT_MS,
    };
  }

  // ---- terminal ---------------------------------------------------------------------------------

  private wireUi(): void {
    const { ui } = this.o;
    this.subs.push(
      ui.onInput((bytes) => this.typed(bytes)),
      ui.onAction((a) => this.action(a)),
      ui.onResize((rows, cols) => this.shell?.session.resize(rows, cols)),
      ui.onDrain(() => {
        const r = this.resumeShell;
        this.resumeShell = undefined;
        r?.();
      }),
    );
  }

  private sink(): { write(d: Buffer): boolean; onDrain(fn: () => void): void } {
    return {
      write: (d) => this.o.ui.writeRemote(d),
      onDrain: (fn) => {
        this.resumeShell = fn;
      },
    };
  }

  private watchShell(shell: { session: RemoteSession; linkId: number; ready: Promise<void> }): void {
    void shell.session.exit.then((exit) => {
      if (this.shell !== shell) return;
      // a channel that ends without a status on a dying link is the link's failure, not the user's exit
      setTimeout(() => {
        const h = this.pool.get(shell.linkId);
        if (this.shell !== shell || !h || h.link.closed) return;
        if (exit.code === undefined && exit.signal === undefined) return;
        this.exitMessage = `Connection to ${this.o.config.hostname} closed.`;
        this.finish(exit.code ?? 255);
      }, 150);
    });
  }

  private typed(bytes: Buffer): void {
    const now = this.o.clock.mono();
    if (this.machine.status(this.state, now).holdInput || !this.shell) {
      this.held.push(bytes);
      this.pushStatus();
      return;
    }
    this.shell.session.stdin.write(bytes);
    this.liveness.onUserInput(now);
    this.reschedule();
  }

  private action(a: UIAction): void {
    const { ui } = this.o;
    switch (a.type) {
      case 'disconnect':
        this.exitMessage = `Connection to ${this.o.config.hostname} closed.`;
        this.dispatch({ type: 'user-quit' });
        if (this.finished) this.finish(255);
        break;
      case 'reconnect':
        this.dispatch({ type: 'user-retry-now' });
        break;
      case 'help': {
        const ch = this.o.config.escapeChar === 'none' ? null : parseEscapeChar(this.o.config.escapeChar);
        ui.showInfo('tether escapes', (ch === null ? a.text : escapeHelp(ch)).split('\r\n'));
        break;
      }
      case 'show-diagnosis': {
        const d = this.lastDiagnosis;
        ui.showInfo('last diagnosis', d ? [`cause: ${d.cause} (confidence ${d.confidence.toFixed(2)})`, ...d.evidence.map((e) => `• ${e}`), ...d.advice.map((e) => `→ ${e}`)] : ['no reset yet in this session']);
        break;
      }
      case 'unsupported':
        ui.flash(a.message, 4000);
        break;
      case 'toggle-bar':
        break;
    }
  }

  private pushStatus(): void {
    if (this.finished === undefined) return;
    const now = this.o.clock.mono();
    const st = this.machine.status(this.state, now);
    const snap = this.liveness.snapshot();
    const input = { host: this.o.config.host, st, state: this.state, live: snap, held: this.held.status().bytes, resetsToday: this.resetsToday, lastCause: this.lastDiagnosis?.cause, now };
    // the bar is repainted only when what it shows changed (no redraw while idle)
    const snapshot = statusSnapshot(input);
    const key = JSON.stringify(snapshot);
    if (key !== this.lastStatusKey) {
      this.lastStatusKey = key;
      this.o.ui.setStatus(snapshot);
    }
    if (st.name === 'down' || st.name === 'reconnecting') this.o.ui.showOutage(outageInfo(input, this.outage, this.o.clock.toWall(this.state.outage?.detectedAt ?? now)));
    else this.o.ui.hideOutage();
  }

  private sayNoTmux(): void {
    if (this.noTmuxSaid) return;
    this.noTmuxSaid = true;
    this.o.stderr.write(`${NO_TMUX_NOTICE}\r\n`);
  }

  private newLiveness(now: number): LivenessEstimator {
    const c = this.o.config;
    const prev = this.liveness?.snapshot();
    return new LivenessEstimator(now, {
      defaultIdleIntervalMs: this.o.defaultKeepaliveMs,
      // suspect after one RTO (a parallel link is tried then), dead after two: detection within 2 s on a fast path
      suspectPeriods: 2,
      ...(c.serverAliveInterval > 0 ? { serverAliveIntervalMs: c.serverAliveInterval * 1000, serverAliveCountMax: c.serverAliveCountMax } : {}),
      ...(this.o.learned.keepaliveMs === undefined ? {} : { learnedKeepaliveMs: this.o.learned.keepaliveMs }),
      ...(prev?.srtt !== undefined && prev.rttvar !== undefined ? { initialRtt: { srtt: prev.srtt, rttvar: prev.rttvar } } : {}),
    });
  }

  private finish(code: number): void {
    const f = this.finished;
    if (!f) return;
    this.finished = undefined;
    f(code);
  }

  private teardown(): void {
    if (this.timer) clearTimeout(this.timer);
    this.measuring?.abort();
    for (const s of this.subs.splice(0)) s.dispose();
    this.shell?.session.dispose();
    for (const id of this.pool.ids()) this.closeLink(id);
    this.o.setCurrentLink(undefined);
  }
}
