// The session's side of its event port: turns what the loop knows into HealingEvents (the outlets never reach in).
import type { HealingEvent, NoticeLevel, SessionStartEvent, StateEvent } from '../events/events.js';
import type { SessionEvents } from '../events/port.js';
import type { ResetRecord, ResetUpdate } from '../history/record.js';
import { HeldInput } from '../recovery/index.js';
import { downtimeOf } from '../recovery/index.js';
import type { EndedOutage, LivenessEstimator, SessionState, SessionStatus } from '../recovery/index.js';
import type { SessionClock } from './clock.js';

/** What the news is read from. */
export interface SessionNewsSources {
  events: SessionEvents;
  clock: SessionClock;
  state: () => SessionState;
  status: (now: number) => SessionStatus;
  liveness: () => LivenessEstimator;
  heldBytes: () => number;
  /** The outage panel's lines so far (the attempts' results, what the probes saw). */
  outageLines: () => string[];
  /** This host's resets today and the last diagnosed cause. */
  resetsToday: () => number;
  lastCause: () => string | undefined;
}

/** Says something to the user through the port (the terminal flashes it; `showMs` by level when absent). */
export type Say = (text: string, level: NoticeLevel, showMs?: number) => void;

/** Who the session is, for its first event (the event's own fields, so the two cannot drift). */
export type SessionIdentity = Omit<SessionStartEvent, 'type' | 'at'>;

/** Publishes the session's events; a state event only when something it carries changed. */
export class SessionNews {
  /** The last state event published, without its time, serialized. */
  private lastStateKey = '';

  constructor(private readonly s: SessionNewsSources) {}

  start(id: SessionIdentity): void {
    this.publish({ type: 'session-start', at: this.s.clock.wall(), ...id });
    this.state();
  }

  /** The state, RTT, keep-alive, held keys or link changed (or may have): published if so (or anyway: `force`). */
  state(force = false): void {
    const now = this.s.clock.mono();
    const st = this.s.status(now);
    const state = this.s.state();
    const snap = this.s.liveness().snapshot();
    const fields: Omit<StateEvent, 'type' | 'at'> = {
      state: st.name,
      linkId: state.linkId,
      srttMs: snap.srtt,
      rttvarMs: snap.rttvar,
      keepaliveMs: snap.keepaliveMs,
      heldBytes: this.s.heldBytes(),
      attempt: st.name === 'connected' ? 0 : st.attempts,
      nextAttemptAt: st.name === 'down' && state.nextAttemptAt !== undefined ? this.s.clock.toWall(state.nextAttemptAt) : undefined,
      lastError: st.lastError,
      downSince: st.name === 'down' || st.name === 'reconnecting' ? this.s.clock.toWall(state.outage?.detectedAt ?? now) : undefined,
      evidence: st.name === 'down' || st.name === 'reconnecting' ? this.s.outageLines() : [],
      resetsToday: this.s.resetsToday(),
      lastCause: this.s.lastCause(),
    };
    // nextAttemptAt in wall ms drifts by fractions between calls: compared in whole ms
    const round = (t: number | undefined): number | undefined => (t === undefined ? undefined : Math.round(t));
    const key = JSON.stringify({ ...fields, nextAttemptAt: round(fields.nextAttemptAt), downSince: round(fields.downSince) });
    if (key === this.lastStateKey && !force) return;
    this.lastStateKey = key;
    this.publish({ type: 'state', at: this.s.clock.wall(), ...fields });
  }

  /** The machine moved from `prev` to `next`: an outage started, or an attempt was made or failed. */
  transition(prev: SessionState, next: SessionState): void {
    const o = next.outage;
    if (!o) return;
    const { toWall } = this.s.clock;
    if (!prev.outage) {
      this.publish({ type: 'outage-start', at: toWall(o.detectedAt), trigger: o.trigger, lastHeardAt: toWall(o.lastHeardAt) });
      if (o.attempts === 0) return;
    }
    const failure = o.failures[o.failures.length - 1];
    // the failure that started the outage is its trigger, not an attempt's result
    const failed = prev.outage !== undefined && failure !== undefined && failure !== prev.outage.failures[prev.outage.failures.length - 1];
    if (failed || o.attempts > (prev.outage?.attempts ?? 0)) {
      this.publish({ type: 'outage-attempt', at: this.s.clock.wall(), n: o.attempts, code: failed ? (failure.code ?? failure.kind) : undefined });
    }
  }

  /** The outage is over (its record, ended). */
  outageEnd(outage: EndedOutage): void {
    this.publish({ type: 'outage-end', at: this.s.clock.wall(), downtimeMs: downtimeOf(outage), outcome: outage.end.outcome });
  }

  /** A reset was written to the history. */
  recorded(record: ResetRecord): void {
    this.publish({ type: 'reset-recorded', at: this.s.clock.wall(), record });
  }

  /** A reset's record was amended (the slow facts). */
  updated(id: string, update: ResetUpdate): void {
    this.publish({ type: 'reset-updated', at: this.s.clock.wall(), id, update });
  }

  notice(text: string, level: NoticeLevel, showMs?: number): void {
    this.publish({ type: 'notice', at: this.s.clock.wall(), text, level, ...(showMs === undefined ? {} : { showMs }) });
  }

  exit(code: number): void {
    this.publish({ type: 'exit', at: this.s.clock.wall(), code });
  }

  private publish(e: HealingEvent): void {
    this.s.events.publish(e);
  }
}

/** Held input that says when its size changed (keys typed during an outage show at once). */
export class ObservedHeldInput extends HeldInput {
  constructor(
    limit: number,
    private readonly changed: () => void,
  ) {
    super(limit);
  }

  override push(chunk: Uint8Array): boolean {
    const r = super.push(chunk);
    this.changed();
    return r;
  }

  override clear(): void {
    super.clear();
    this.changed();
  }
}
