// The session loop's one timer: liveness and machine deadlines, interface checks; a late wake is evidence of a suspend.
import { detectSuspend } from '../recovery/index.js';
import type { LivenessEstimator, SessionEvent, SessionMachine, SessionState } from '../recovery/index.js';
import { diffInterfaces, snapshotInterfaces } from './netwatch.js';
import type { InterfaceSnapshot } from './netwatch.js';
import type { HealingOptions } from './options.js';

/** How often the network interfaces are compared during an outage or while keys wait for an answer. */
const NETWATCH_MS = 1000;
/**
 * On a quiet healthy link the interfaces are compared only when the timer wakes anyway (the keep-alive): a wake of
 * its own (a netlink dump, the loop) every few seconds was most of the idle CPU, and typing on a link that died with
 * an interface is caught by liveness and the path check in under a second anyway.
 */
const NETWATCH_QUIET_MS = Infinity;

/** What the timer needs from its session. */
export interface LoopTimerDeps extends Pick<HealingOptions, 'clock'> {
  machine: Pick<SessionMachine, 'nextDeadline'>;
  state: () => SessionState;
  liveness: () => LivenessEstimator;
  /** A keep-alive on the link with that id. */
  ping: (linkId: number) => void;
  dispatch: (e: SessionEvent) => void;
  pushStatus: () => void;
  /** Whether the session still runs (no timer is set after the end). */
  running: () => boolean;
}

/** Sleeps until the earliest deadline, then feeds the machine what came due. */
export class LoopTimer {
  /** The one loop timer and what it was set for (a late wake is evidence of a suspend). */
  private timer: NodeJS.Timeout | undefined;
  private timerSet = { mono: 0, due: 0, wall: 0 };
  private netSnapshot: InterfaceSnapshot;
  private nextNetCheck = 0;
  private lastNetCheck = 0;

  constructor(private readonly d: LoopTimerDeps) {
    this.netSnapshot = snapshotInterfaces();
  }

  /** Sets the timer for the earliest deadline (after every event: deadlines move). */
  reschedule(): void {
    const { d } = this;
    if (!d.running()) return;
    const now = d.clock.mono();
    const state = d.state();
    const live = state.name === 'connected' || state.name === 'suspect' ? d.liveness().nextDeadline() : Infinity;
    if (!this.quiet()) this.nextNetCheck = Math.min(this.nextNetCheck, now + NETWATCH_MS); // busy again: 1 s checks
    // a deadline already past fires now; measuring lateness from it would read a slow start-up as a suspend
    const due = Math.max(now, Math.min(d.machine.nextDeadline(state), live, this.nextNetCheck));
    if (this.timer) clearTimeout(this.timer);
    this.timerSet = { mono: now, due, wall: d.clock.wall() };
    this.timer = setTimeout(() => this.wake(), Math.max(0, due - now));
  }

  /** Clears the timer (the session ended). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private wake(): void {
    const { d } = this;
    this.timer = undefined;
    const now = d.clock.mono();
    const report = detectSuspend({
      setAtMono: this.timerSet.mono,
      dueAtMono: this.timerSet.due,
      firedAtMono: now,
      setAtWall: this.timerSet.wall,
      firedAtWall: d.clock.wall(),
    });
    if (report) {
      const drift = { timerLateMs: report.lateByMs, wallAheadOfMonotonicMs: report.wallDriftMs, detectedAt: d.clock.wall() };
      d.dispatch({ type: 'suspend-detected', drift, awayMs: report.awayMs });
    }
    const name = d.state().name;
    if (name === 'connected' || name === 'suspect') {
      for (let i = 0; i < 4 && d.liveness().nextDeadline() <= now; i++) {
        const v = d.liveness().tick(now);
        const linkId = d.state().linkId;
        if (v === 'send-ping' && linkId !== undefined) d.ping(linkId);
        else if ((v === 'suspect' || v === 'dead') && linkId !== undefined) {
          const snap = d.liveness().snapshot();
          // no RTT sample yet: the initial RTO (1 s) sizes the path check, so a slow path is not taken for a silent one
          const rtoMs = snap.srtt === undefined || snap.rttvar === undefined ? snap.suspectAfterMs : snap.srtt + 4 * snap.rttvar;
          d.dispatch({ type: 'liveness', linkId, verdict: v, lastHeardAt: snap.lastHeardAt, rtoMs });
        }
      }
    }
    if (now >= this.nextNetCheck || (this.quiet() && now - this.lastNetCheck >= NETWATCH_MS)) this.checkNetwork(now);
    if (d.machine.nextDeadline(d.state()) <= now) d.dispatch({ type: 'tick' });
    // the countdown of an outage moves on its own; a quiet link's bar changes only with events (they push it)
    if (!this.quiet()) d.pushStatus();
    this.reschedule();
  }

  /** A healthy link with nothing waiting for an answer. */
  private quiet(): boolean {
    return this.d.state().name === 'connected' && !this.d.liveness().snapshot().active;
  }

  /** Compares the interfaces with the last snapshot; anything but a loss is worth a fresh attempt. */
  private checkNetwork(now: number): void {
    const { d } = this;
    this.lastNetCheck = now;
    this.nextNetCheck = now + (this.quiet() ? NETWATCH_QUIET_MS : NETWATCH_MS);
    const snap = snapshotInterfaces();
    const changes = diffInterfaces(this.netSnapshot, snap, d.clock.wall());
    this.netSnapshot = snap;
    if (changes.length === 0) return;
    d.dispatch({ type: 'outage-fact', fact: { kind: 'interfaces', changes } });
    if (changes.some((c) => c.kind !== 'down')) d.dispatch({ type: 'network-changed' });
  }
}
