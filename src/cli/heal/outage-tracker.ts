// Facts gathered while an outage lasts: attempts and their results, ICMP, interface changes, timer drift.
import { execFile } from 'node:child_process';
import type { ErrorKind } from '../../common/errors.js';
import type { AttemptEvidence, DriftEvidence, InterfaceChange } from '../../diagnosis/evidence.js';
import { attemptResultFrom } from '../../diagnosis/from-error.js';

/** Most attempts kept (the first and the last tell the story). */
const MAX_ATTEMPTS = 32;

/** One outage's client-side facts, reset when the session is healthy again. */
export class OutageTracker {
  /** Every attempt's result, oldest first. */
  attempts: AttemptEvidence[] = [];
  /** Whether the host answered ICMP during the outage (undefined: not asked or no ping tool). */
  icmpReachable: boolean | undefined;
  /** Local interface changes seen. */
  interfaceChanges: InterfaceChange[] = [];
  /** The largest timer drift seen. */
  drift: DriftEvidence | undefined;
  /** Set while an ICMP check runs, so only one runs at a time. */
  private icmpRunning = false;
  /** Set once the port answers again: a ping answered after that says nothing about the outage. */
  private portBack = false;
  /**
   * When the last answered ping was sent (wall ms), until a port failure that started after it
   * confirms the port was down while the host answered. Without one the path may simply have
   * come back while the ping was out (a blackhole lifted), which says nothing about a firewall.
   */
  private icmpAnsweredSentAt: number | undefined;

  /** Forget everything (the outage ended and was recorded). */
  reset(): void {
    this.attempts = [];
    this.icmpReachable = undefined;
    this.interfaceChanges = [];
    this.drift = undefined;
    this.portBack = false;
    this.icmpAnsweredSentAt = undefined;
  }

  /** The port answers again (a probe saw the banner, or an attempt connected). */
  portAnswered(): void {
    this.portBack = true;
  }

  /** A failed attempt. */
  failed(startedAt: number, endedAt: number, kind: ErrorKind, code: string | undefined): void {
    this.push({ result: attemptResultFrom(kind, code), startedAt, durationMs: endedAt - startedAt, ...(code ? { code } : {}) });
  }

  /** A successful attempt. */
  succeeded(startedAt: number, endedAt: number): void {
    this.portBack = true;
    this.push({ result: 'ok', startedAt, durationMs: endedAt - startedAt });
  }

  /** A TCP probe's failure counts as an attempt's evidence too (refused/unreachable/timeout on the port). */
  probeFailed(at: number, durationMs: number, kind: ErrorKind, code: string | undefined): void {
    this.push({ result: attemptResultFrom(kind, code), startedAt: at, durationMs, ...(code ? { code } : {}) });
  }

  noteDrift(d: DriftEvidence): void {
    if (!this.drift || d.timerLateMs + d.wallAheadOfMonotonicMs > this.drift.timerLateMs + this.drift.wallAheadOfMonotonicMs) this.drift = d;
  }

  /**
   * Asks `ping -c1 -W1 host` once (if the tool exists), sent at `now` (wall ms). No reply: not
   * reachable (unless a later ping answers). A reply counts once a port failure that started
   * after the ping was sent confirms it (see icmpAnsweredSentAt).
   */
  checkIcmp(hostname: string, now: number): void {
    if (this.icmpRunning || this.icmpReachable === true) return;
    this.icmpRunning = true;
    execFile('ping', ['-n', '-c', '1', '-W', '1', hostname], { timeout: 3000 }, (err) => this.icmpAnswer(now, err));
  }

  /** The result of the ping sent at `sentAt`: exit status 0 answered, 1 no reply, others: ping failed. */
  icmpAnswer(sentAt: number, err: { code?: unknown } | null): void {
    this.icmpRunning = false;
    if (this.portBack) return;
    const code = err && typeof err.code === 'number' ? err.code : err ? -1 : 0;
    if (code === 1) this.icmpReachable ??= false;
    if (code !== 0) return;
    // the earliest answered ping: probes overlap, so a later ping must not move the bar past the failures to come
    this.icmpAnsweredSentAt ??= sentAt;
    if (this.attempts.some((a) => this.confirmsIcmp(a))) this.icmpReachable = true;
  }

  /** A port failure that began after the answered ping was sent (while the port was still down). */
  private confirmsIcmp(a: AttemptEvidence): boolean {
    return a.result !== 'ok' && !this.portBack && this.icmpAnsweredSentAt !== undefined && a.startedAt >= this.icmpAnsweredSentAt;
  }

  private push(a: AttemptEvidence): void {
    if (this.confirmsIcmp(a)) this.icmpReachable = true;
    this.attempts.push(a);
    if (this.attempts.length > MAX_ATTEMPTS) this.attempts.splice(MAX_ATTEMPTS / 2, 1);
  }
}
