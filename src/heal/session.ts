// The healing interactive session: one loop runs the recovery machine and carries out its effects on real links,
// the remote tmux session and the terminal UI (the timer, the UI, the history and idle measurement are its helpers).
import { errorCode, messageOf } from '../common/errors.js';
import { createSessionMachine, initialSessionState, wantsIcmp } from '../recovery/index.js';
import type { HeldInput, LivenessEstimator, OutageFact, SessionEffect, SessionEvent, SessionMachine, SessionState } from '../recovery/index.js';
import { decideReattach } from '../remote/reattach.js';
import { FAST_EVIDENCE_TIMEOUT_MS, collectFastFacts, pidsToCheck, recordFromFacts } from '../remote/session-facts.js';
import { NO_TMUX_NOTICE, buildInteractiveCommand } from '../remote/tmux-command.js';
import type { InteractiveCommand } from '../remote/tmux-command.js';
import { tmuxAtLeast } from '../remote/tmux-invocation.js';
import { newPaneState } from './control-shell.js';
import type { PaneState } from './control-shell.js';
import { IdleMeasurer } from './idle-measure.js';
import { linkExec } from './link-exec.js';
import { LinkPool } from './link-pool.js';
import { LivenessSlot } from './liveness-slot.js';
import { LoopTimer } from './loop-timer.js';
import { ObservedHeldInput, SessionNews } from './news.js';
import type { Say } from './news.js';
import { outageLines } from './status.js';
import type { HealingOptions } from './options.js';
import { IcmpCheck } from './icmp-check.js';
import { reconnectOptions } from './reconnect-options.js';
import { ResetHistory } from './reset-history.js';
import { SessionUi } from './session-ui.js';
import { ShellSlot } from './shell-slot.js';

export type { HealingOptions } from './options.js';

/** The session; run() resolves to the exit status. */
export class HealingSession {
  private readonly machine: SessionMachine;
  private state: SessionState;
  /** Links by the machine's ids. */
  private readonly pool: LinkPool;
  /** The interactive channel and the link it runs on. */
  private readonly shell: ShellSlot;
  private readonly liveness: LivenessSlot;
  private readonly held: HeldInput;
  /** The event port's publisher (issue 12): every outlet hears the session through it. */
  private readonly news: SessionNews;
  private readonly history: ResetHistory;
  private readonly measurer: IdleMeasurer;
  private readonly ui: SessionUi;
  private readonly timer: LoopTimer;
  private readonly command: InteractiveCommand;
  /** The invisible session's pane (tmux control mode); undefined when the shell is a pty channel. */
  private pane: PaneState | undefined;
  private finished: ((code: number) => void) | undefined;
  /** What to print once the terminal is restored (`Connection to host closed.`, a fatal error). */
  exitMessage: string | undefined;

  constructor(private readonly o: HealingOptions) {
    this.machine = createSessionMachine({ random: o.random });
    this.held = new ObservedHeldInput(o.heldInputBytes, () => this.news.state()); // port: held keys
    // what the user is told goes out through the port; the terminal flashes it as the port's subscriber
    const say: Say = (text, level, showMs) => this.news.notice(text, level, showMs);
    const connectOptions = reconnectOptions(o, say);
    const running = (): boolean => this.finished !== undefined;
    const state = (): SessionState => this.state;
    const dispatch = (e: SessionEvent): void => this.dispatch(e);
    // what the links and probes met goes into the outage record
    const fact = (f: OutageFact): void => dispatch({ type: 'outage-fact', fact: f });
    const pushStatus = (): void => this.news.state(); // port: RTT, keep-alive, what the bar shows
    const liveness = (): LivenessEstimator => this.liveness.current;
    this.pool = new LinkPool({
      clock: o.clock,
      hostname: o.config.hostname,
      port: o.config.port,
      fact,
      icmp: new IcmpCheck(o.config.hostname, () => this.state.outage !== undefined && wantsIcmp(this.state.outage.evidence), fact),
      connectOptions,
      state,
      liveness,
      dispatch,
      running,
      setCurrentLink: o.setCurrentLink,
      onRtt: pushStatus,
      reschedule: () => this.timer.reschedule(),
    });
    this.state = initialSessionState(1);
    this.liveness = new LivenessSlot(o);
    this.measurer = new IdleMeasurer({ ...o, connectOptions, renewLiveness: () => this.liveness.renew(), pushStatus, say });
    this.history = new ResetHistory({
      ...o,
      // the record's amendments go out through the port (the record itself through onRecorded)
      recorder: { ...o.recorder, onUpdate: (id, f) => this.news.updated(id, f) },
      liveness: this.liveness,
      tmux: () => this.command.restoreMode === 'tmux',
      currentLink: () => this.pool.get(this.state.linkId ?? -1)?.link,
      onIdleTimeout: (upperMs) => void this.measurer.start(upperMs),
      pushStatus,
      say,
      onRecorded: (record, summary) => {
        this.news.recorded(record); // port: reset recorded
        this.news.notice(summary, 'info', 10_000);
      },
    });
    this.ui = new SessionUi({
      ...o,
      held: this.held,
      history: this.history,
      liveness,
      status: (now) => this.machine.status(this.state, now),
      shell: () => this.shell.current?.session,
      dropReplies: () => this.pane !== undefined,
      dispatch,
      reschedule: () => this.timer.reschedule(),
      disconnect: () => this.disconnect(),
    });
    this.news = new SessionNews({
      events: o.events,
      clock: o.clock,
      state,
      status: (now) => this.machine.status(this.state, now),
      liveness,
      heldBytes: () => this.held.status().bytes,
      outageLines: () => outageLines(this.state.outage),
      resetsToday: () => this.history.resetsToday,
      lastCause: () => this.history.lastDiagnosis?.cause,
    });
    this.timer = new LoopTimer({ clock: o.clock, machine: this.machine, state, liveness, ping: (id) => this.pool.ping(id), dispatch, pushStatus, running });
    this.command = { command: undefined, restoreMode: 'plain-shell' };
    this.shell = new ShellSlot({
      spec: { session: o.session, command: this.command, term: o.term, env: o.env, agentForward: o.config.forwardAgent },
      sink: () => this.ui.sink(),
      pane: () => this.pane,
      control: {
        notice: (t) => say(t, 'warn', 10_000),
        debug: o.debug,
      },
      linkOpen: (id) => this.pool.get(id)?.link.closed === false,
      onExit: (code, message) => {
        this.exitMessage = `${message === undefined ? '' : `tether: ${message}\n`}Connection to ${o.config.hostname} closed.`;
        this.finish(code);
      },
    });
  }

  /** Opens the shell on the first link, takes over the terminal, and heals until the session ends. */
  async run(): Promise<number> {
    const { o } = this;
    const first = o.first;
    const facts = await collectFastFacts(linkExec(first), { session: o.session, timeoutMs: 3000 });
    this.history.record = recordFromFacts(facts);
    const cmd = buildInteractiveCommand({
      session: o.session,
      tmux: o.useTmux ? 'auto' : 'off',
      ...(facts.tmux.installed === undefined ? {} : { tmuxInstalled: facts.tmux.installed }),
      ...(this.history.record.tmuxVersion ? { tmuxVersion: this.history.record.tmuxVersion } : {}),
      agentLink: o.config.forwardAgent,
    });
    Object.assign(this.command, cmd);
    const { host, hostname, port, user } = o.config;
    this.news.start({ host, hostname, port, user, session: o.session, pid: process.pid }); // port: who
    if (o.useTmux && facts.tmux.installed === false) {
      this.ui.sayNoTmux();
      this.news.notice(NO_TMUX_NOTICE, 'warn'); // port
    }
    // tmux >= 3.2 with the log tools: the invisible session (control mode); older: tmux as it draws itself
    if (cmd.restoreMode === 'tmux' && tmuxAtLeast(this.history.record.tmuxVersion, 3, 2) && facts.tmux.logTools === true) {
      this.pane = newPaneState(facts.tmux.session === 'present');
    } else if (cmd.restoreMode === 'tmux') this.ui.sayOldTmux(this.history.record.tmuxVersion?.raw ?? 'tmux');
    this.pool.adopt(1, first);
    const h1 = this.pool.get(1);
    if (h1) h1.forwards = await o.startRemoteForwards(first);
    o.uiStart();
    this.ui.wire();
    const size = o.ui.remoteSize();
    const factsAt = o.clock.mono();
    const shell = await this.shell.open(first, 1, size);
    void this.history.refresh(first, shell.ready, { epoch: facts.nowEpoch, readAt: factsAt });
    const done = new Promise<number>((resolve) => {
      this.finished = resolve;
    });
    this.timer.reschedule();
    this.news.state(true); // the terminal's first bar (its outlet subscribed when the UI started)
    const code = await done;
    await this.history.settle();
    this.teardown();
    return code;
  }

  // ---- the loop ---------------------------------------------------------------------------------

  private dispatch(event: SessionEvent): void {
    const now = this.o.clock.mono();
    const prev = this.state;
    const t = this.machine.reduce(this.state, event, now);
    if (event.type !== 'tick' || t.effects.length > 0) {
      this.o.debug(`event ${JSON.stringify(event)} ${this.state.name} -> ${t.state.name} effects ${JSON.stringify(t.effects.map((e) => e.type))}`);
    }
    this.state = t.state;
    this.news.transition(prev, t.state); // port: outage start / attempt
    for (const fx of t.effects) this.perform(fx);
    this.news.state(); // port: state change
    this.timer.reschedule();
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
        this.pool.probe(fx);
        break;
      case 'checkLink':
        this.liveness.current.expectReply(this.o.clock.mono());
        this.pool.ping(fx.linkId);
        break;
      case 'restore':
        void this.restore(fx.linkId);
        break;
      case 'flushHeldInput':
        this.shell.flushWhenReady(fx.linkId, this.held);
        break;
      case 'discardHeldInput': {
        const n = this.held.status().bytes;
        this.held.clear();
        // said in the reset's summary line, which follows at once (a flash of its own would be overwritten)
        this.history.noteDroppedInput(n);
        break;
      }
      case 'recordReset':
        this.news.outageEnd(fx.outage); // port: outage end
        this.history.recordReset(fx.outage);
        break;
      case 'notify':
        this.news.notice(fx.message, fx.level, fx.level === 'info' ? 4000 : 8000); // port
        break;
      case 'exit':
        this.exitMessage ??= fx.message || undefined;
        this.finish(fx.code);
        break;
    }
  }

  private closeLink(id: number): void {
    this.shell.closeOn(id);
    this.pool.close(id);
  }

  /** Reattach on a new link: facts first (bounded), then the shell, resize, forwards; always ends in restore-done. */
  private async restore(id: number): Promise<void> {
    const h = this.pool.get(id);
    if (!h) return;
    const { o, history } = this;
    o.setCurrentLink(h.link); // -L/-D connections made during the outage wait for this one
    try {
      // the shell first (tmux -A reattaches at once); the facts in parallel: the decision compares the tmux
      // session's identity, so it is right whichever ran first
      this.shell.close();
      const factsAt = o.clock.mono();
      const factsP = collectFastFacts(linkExec(h.link), { session: o.session, pids: pidsToCheck(history.record), timeoutMs: 2000 });
      const known = history.record.tmuxSessionId !== undefined || history.record.tmuxSessionCreated !== undefined;
      // the link broke before our session's identity was read: look before `new-session -A` can make a new one
      // of the same name, which would be taken for ours
      // (bounded like all evidence: the restore waits at most FAST_EVIDENCE_TIMEOUT_MS for it)
      if (!known && this.command.restoreMode === 'tmux') {
        await Promise.race([factsP, new Promise((r) => setTimeout(r, FAST_EVIDENCE_TIMEOUT_MS))]);
      }
      await this.shell.open(h.link, id, o.ui.remoteSize());
      this.liveness.renew();
      const fast = await factsP;
      history.afterFacts = fast;
      const decision = decideReattach({ restoreMode: this.command.restoreMode, before: history.record, now: fast });
      o.debug(`restore link ${id}: record ${JSON.stringify(history.record)} facts ${JSON.stringify(fast)} decision ${JSON.stringify(decision)}`);
      h.forwards = await o.startRemoteForwards(h.link).catch(() => undefined);
      const where = this.pane?.cwd === undefined ? '' : ` (started in ${this.pane.cwd})`;
      if (decision.outcome === 'new-session') {
        this.news.notice(`${decision.notice}${where}`, 'warn', 10_000); // port
      }
      this.dispatch({ type: 'restore-done', linkId: id, newSession: decision.outcome === 'new-session' });
      const renewed = decision.outcome === 'new-session' ? { tmuxSessionCreated: undefined, tmuxSessionId: undefined, sessionStartedBy: undefined } : {};
      history.record = recordFromFacts(fast, { ...history.record, ...renewed });
      void history.refresh(h.link, this.shell.current?.ready, { epoch: fast.nowEpoch, readAt: factsAt });
    } catch (err) {
      this.dispatch({ type: 'link-error', linkId: id, kind: 'remote', code: errorCode(err) ?? 'restore-failed', fatal: false, message: messageOf(err) });
    }
  }

  /** ~. : the machine hears of it first; the session ends with 255 if the machine did not end it. */
  private disconnect(): void {
    this.exitMessage = `Connection to ${this.o.config.hostname} closed.`;
    this.dispatch({ type: 'user-quit' });
    if (this.finished) this.finish(255);
  }

  private finish(code: number): void {
    const f = this.finished;
    if (!f) return;
    this.finished = undefined;
    this.news.exit(code); // port: exit
    f(code);
  }

  private teardown(): void {
    this.timer.stop();
    this.measurer.abort();
    this.ui.dispose();
    this.shell.current?.session.dispose();
    for (const id of this.pool.ids()) this.closeLink(id);
    this.o.setCurrentLink(undefined);
  }
}
