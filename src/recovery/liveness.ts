// Is the link alive? An adaptive estimator fed with pings, keys and bytes; it reports deadlines, never sets timers.
import { keepaliveForBound } from './idle-learning.js';
import { rto, updateRtt, type RttEstimate } from './rtt.js';

/** What the owner must do after tick(): nothing, send one ping now, or treat the link as suspect / dead. */
export type LivenessVerdict = 'ok' | 'send-ping' | 'suspect' | 'dead';

/** Tuning; all in ms. The ssh config values come from EffectiveConfig (seconds there, ms here). */
export interface LivenessOptions {
  /** ServerAliveInterval when the user set it (0 or undefined = unset): idle pings never further apart. */
  serverAliveIntervalMs?: number;
  /** ServerAliveCountMax: with ServerAliveInterval set, dead after this many missed probe periods. */
  serverAliveCountMax?: number;
  /** The idle limit learned for this host (the silence that killed a link): pings every 0.5 × it. */
  learnedBoundMs?: number;
  /** A keep-alive persisted for this host (already 0.5 × bound): used if lower than the bound's. */
  learnedKeepaliveMs?: number;
  /** Idle ping interval when nothing was learned (25 s: below the common 30 s NAT/firewall limits). */
  defaultIdleIntervalMs?: number;
  /** Floor of the suspect timeout, so that a fast LAN does not go suspect on a scheduler hiccup. */
  minSuspectMs?: number;
  /** Suspect timeout before any RTT sample (RFC 6298's initial RTO). */
  initialRtoMs?: number;
  /** Without ServerAliveInterval: dead after this many suspect periods of silence. */
  suspectPeriods?: number;
  /** Without ServerAliveInterval: dead after at most this long, however slow the path (≥ one period). */
  deadCapMs?: number;
  /**
   * Least silence before dead on a busy link: a lossy path stalls TCP for 0.2, 0.6, 1.4, 3 s (one to four lost
   * retransmissions) and the link lives on; a silent path is declared dead sooner by the machine's path check.
   */
  minDeadMs?: number;
  /** ... and after an idle gap (see quickDeadAfterIdleMs): a middlebox that forgot an idle link is the likely cause. */
  quickDeadMs?: number;
  /** Keys sent after this long with nothing heard start a silence judged with quickDeadMs. */
  quickDeadAfterIdleMs?: number;
  /** Least time between two pings, so that fast typing does not become a ping flood. */
  minPingGapMs?: number;
  /** RTT carried over from the previous link to the same host. */
  initialRtt?: RttEstimate;
}

/** What the status bar and the history record show. */
export interface LivenessSnapshot {
  readonly srtt: number | undefined;
  readonly rttvar: number | undefined;
  readonly lastHeardAt: number;
  readonly lastSentAt: number;
  readonly keepaliveMs: number;
  readonly suspectAfterMs: number;
  readonly deadAfterMs: number;
  /** Start of the current unanswered silence (keys or ping sent, nothing back); undefined = none. */
  readonly silentSince: number | undefined;
  /** Whether the user is waiting on the link (keys sent, nothing received since). */
  readonly active: boolean;
  readonly pingsUnanswered: number;
  readonly state: 'ok' | 'suspect' | 'dead';
  /** Longest idle silence after which a ping was still answered: a lower bound of the path's idle limit. */
  readonly longestSurvivedSilenceMs: number;
}

const DEFAULTS = {
  defaultIdleIntervalMs: 25_000,
  minSuspectMs: 1_000,
  initialRtoMs: 1_000,
  suspectPeriods: 3,
  deadCapMs: 15_000,
  minDeadMs: 0,
  quickDeadMs: 0,
  quickDeadAfterIdleMs: Infinity,
  minPingGapMs: 100,
  serverAliveCountMax: 3,
};

/**
 * Liveness of one link. Active (keys sent, nothing back): a ping goes out unless the echo comes
 * first (see inputPingDelayMs), the link is
 * suspect after max(1 s, srtt + 4·rttvar) of silence and dead after `suspectPeriods` of those
 * (capped at deadCapMs; with ServerAliveInterval set: after ServerAliveCountMax periods, uncapped).
 * Idle: one ping per keep-alive interval of no traffic; mere silence is never suspect, but an
 * unanswered ping is: it is re-sent every period and judged like typed keys.
 * The owner calls tick(now) at nextDeadline() (again while nextDeadline() <= now); a 'send-ping'
 * verdict counts the ping as sent at `now`; onPingSent is only for pings the owner sends unasked.
 */
export class LivenessEstimator {
  private readonly o: typeof DEFAULTS & LivenessOptions;
  /** RFC 6298 state; undefined until the first reply. */
  private rtt: RttEstimate | undefined;
  /** Last byte of any kind from the server. */
  private lastHeardAt: number;
  /** Last ping or key sent: idle pings are due a keep-alive after the later of this and lastHeardAt. */
  private lastSentAt: number;
  /** Last ping sent (for the ping gap and re-probing). */
  private lastPingSentAt = -Infinity;
  /** First key sent with nothing received since. */
  private inputPendingSince: number | undefined;
  /** First ping sent with nothing received since. */
  private pingPendingSince: number | undefined;
  /** Pings sent since the last byte received. */
  private pingsUnanswered = 0;
  /** Set when keys start an active silence and no ping has gone out for it yet. */
  private inputPingWanted = false;
  /** Set by expectReply: the next ping skips the echo grace. */
  private urgentPing = false;
  /** How far this silence has been reported, so suspect and dead are each reported once. */
  private reported: 'ok' | 'suspect' | 'dead' = 'ok';
  /** Idle silence before the first unanswered ping (becomes "survived" if it is answered). */
  private silenceBeforePing = 0;
  /** See LivenessSnapshot.longestSurvivedSilenceMs. */
  private longestSurvived = 0;

  constructor(now: number, options: LivenessOptions = {}) {
    this.o = { ...DEFAULTS, ...stripUndefined(options) };
    this.rtt = options.initialRtt;
    this.lastHeardAt = now;
    this.lastSentAt = now;
  }

  /** The idle ping interval: learned (0.5 × bound) or 25 s, never above ServerAliveInterval when set. */
  get keepaliveMs(): number {
    const learned = [
      this.o.learnedKeepaliveMs,
      this.o.learnedBoundMs === undefined ? undefined : keepaliveForBound(this.o.learnedBoundMs),
    ].filter((v): v is number => v !== undefined && v > 0);
    const base = learned.length > 0 ? Math.min(...learned) : this.o.defaultIdleIntervalMs;
    const sai = this.o.serverAliveIntervalMs ?? 0;
    return sai > 0 ? Math.min(base, sai) : base;
  }

  /** max(1 s, srtt + 4·rttvar): how long an answer may take before the link is suspect. */
  get suspectAfterMs(): number {
    return Math.max(this.o.minSuspectMs, this.rtt === undefined ? this.o.initialRtoMs : rto(this.rtt));
  }

  /** Silence after which the link is dead (see the class comment), never before the floor for this silence. */
  get deadAfterMs(): number {
    const s = this.suspectAfterMs;
    const floor = this.afterIdleGap() ? this.o.quickDeadMs : this.o.minDeadMs;
    if ((this.o.serverAliveIntervalMs ?? 0) > 0) return Math.max(floor, Math.max(1, this.o.serverAliveCountMax) * s);
    return Math.max(s, floor, Math.min(this.o.deadCapMs, this.o.suspectPeriods * s));
  }

  /** The owner sent a ping on its own (not asked by tick). */
  onPingSent(now: number): void {
    if (this.pingPendingSince === undefined) {
      this.pingPendingSince = now;
      this.silenceBeforePing = now - Math.max(this.lastHeardAt, this.lastSentAt);
    }
    this.pingsUnanswered++;
    this.lastPingSentAt = now;
    this.lastSentAt = Math.max(this.lastSentAt, now);
    this.inputPingWanted = false;
    this.urgentPing = false;
  }

  /**
   * A ping was answered after rttMs; returns true when this ends a reported suspect (the old link lives).
   * Karn's rule in spirit: the answer that ends a stall measures the stall, not the path, so it is no sample.
   */
  onPingReply(now: number, rttMs: number): boolean {
    if (this.reported === 'ok') this.rtt = updateRtt(this.rtt, rttMs);
    if (this.inputPendingSince === undefined && this.pingPendingSince !== undefined) {
      this.longestSurvived = Math.max(this.longestSurvived, this.silenceBeforePing);
    }
    return this.onData(now);
  }

  /** Keys went to the server: if nothing was pending, an active silence starts now. */
  onUserInput(now: number): void {
    if (this.inputPendingSince === undefined) {
      this.inputPendingSince = now;
      this.inputPingWanted = this.pingPendingSince === undefined;
    }
    this.lastSentAt = Math.max(this.lastSentAt, now);
  }

  /** Make the link prove itself now (after a network change or a wake): judged like typed keys, ping at once. */
  expectReply(now: number): void {
    this.onUserInput(now);
    this.urgentPing = this.pingPendingSince === undefined;
  }

  /** Any byte from the server; returns true when this ends a reported suspect (the old link lives). */
  onData(now: number): boolean {
    const recovered = this.reported === 'suspect';
    this.lastHeardAt = Math.max(this.lastHeardAt, now);
    this.inputPendingSince = undefined;
    this.pingPendingSince = undefined;
    this.pingsUnanswered = 0;
    this.inputPingWanted = false;
    this.urgentPing = false;
    if (this.reported !== 'dead') this.reported = 'ok';
    return recovered;
  }

  /** A new link to the same host: timers start over, the RTT estimate is kept. */
  restart(now: number): void {
    this.lastHeardAt = now;
    this.lastSentAt = now;
    this.lastPingSentAt = -Infinity;
    this.inputPendingSince = undefined;
    this.pingPendingSince = undefined;
    this.pingsUnanswered = 0;
    this.inputPingWanted = false;
    this.urgentPing = false;
    this.reported = 'ok';
  }

  /** When tick() must next be called (Infinity once dead). */
  nextDeadline(): number {
    if (this.reported === 'dead') return Infinity;
    const since = this.silentSince();
    let next = this.pingDueAt();
    if (since !== undefined) {
      if (this.reported === 'ok') next = Math.min(next, since + this.suspectAfterMs);
      next = Math.min(next, since + this.deadAfterMs);
    }
    return next;
  }

  /** Advances to `now`: at most one verdict per call, the gravest due first. */
  tick(now: number): LivenessVerdict {
    if (this.reported === 'dead') return 'dead';
    const since = this.silentSince();
    if (since !== undefined) {
      if (now >= since + this.deadAfterMs) {
        this.reported = 'dead';
        return 'dead';
      }
      if (this.reported === 'ok' && now >= since + this.suspectAfterMs) {
        this.reported = 'suspect';
        return 'suspect';
      }
    }
    if (now >= this.pingDueAt()) {
      this.onPingSent(now);
      return 'send-ping';
    }
    return 'ok';
  }

  /** For the status bar and the reset record. */
  snapshot(): LivenessSnapshot {
    const since = this.silentSince();
    return {
      srtt: this.rtt?.srtt,
      rttvar: this.rtt?.rttvar,
      lastHeardAt: this.lastHeardAt,
      lastSentAt: this.lastSentAt,
      keepaliveMs: this.keepaliveMs,
      suspectAfterMs: this.suspectAfterMs,
      deadAfterMs: this.deadAfterMs,
      silentSince: since,
      active: this.inputPendingSince !== undefined,
      pingsUnanswered: this.pingsUnanswered,
      state: this.reported,
      longestSurvivedSilenceMs: this.longestSurvived,
    };
  }

  /**
   * How long fresh keys wait for their echo before a ping is sent: half the slack between the RTO and
   * the suspect timeout, so that the ping's answer is still due before suspect (0 on slow paths).
   * Echoed typing on a fast path thus costs no pings at all.
   */
  private inputPingDelayMs(): number {
    const r = this.rtt === undefined ? this.o.initialRtoMs : rto(this.rtt);
    return Math.max(0, (this.suspectAfterMs - r) / 2);
  }

  /** Whether this silence began with keys sent after an idle gap (nothing heard for quickDeadAfterIdleMs). */
  private afterIdleGap(): boolean {
    const keys = this.inputPendingSince;
    if (keys === undefined || (this.pingPendingSince !== undefined && this.pingPendingSince < keys)) return false;
    return keys - this.lastHeardAt >= this.o.quickDeadAfterIdleMs;
  }

  /** Start of the unanswered silence: the earlier of pending keys and pending ping. */
  private silentSince(): number | undefined {
    const a = this.inputPendingSince;
    const b = this.pingPendingSince;
    if (a === undefined) return b;
    return b === undefined ? a : Math.min(a, b);
  }

  /** When the next ping is due: at once for fresh keys, every period while unanswered, else after a keep-alive of no traffic. */
  private pingDueAt(): number {
    const gapOk = this.lastPingSentAt + this.o.minPingGapMs;
    if (this.inputPingWanted && this.inputPendingSince !== undefined) {
      return Math.max(this.inputPendingSince + (this.urgentPing ? 0 : this.inputPingDelayMs()), gapOk);
    }
    if (this.pingPendingSince !== undefined) return this.lastPingSentAt + this.suspectAfterMs;
    return Math.max(this.lastHeardAt, this.lastSentAt) + this.keepaliveMs;
  }
}

/** Drops undefined values so that they do not override defaults in a spread. */
function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
