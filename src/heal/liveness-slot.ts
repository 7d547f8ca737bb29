// The session's one liveness estimator, replaced on a new link or a new keep-alive with the RTT carried over.
import { LivenessEstimator, SESSION_LIVENESS, updateRtt } from '../recovery/index.js';
import type { LivenessSnapshot } from '../recovery/index.js';
import type { HealingOptions } from './options.js';

/** Holds the current estimator; everyone reads it through current (never keep a reference across a renew). */
export class LivenessSlot {
  private estimator: LivenessEstimator;

  constructor(private readonly o: Pick<HealingOptions, 'config' | 'clock' | 'defaultKeepaliveMs' | 'learned'> & Partial<Pick<HealingOptions, 'first'>>) {
    // the first link's TCP connect is an RTT sample (SYN → SYN-ACK): the first silence is judged by the path's RTT,
    // not by RFC 6298's 1 s initial RTO, even before any keep-alive was answered
    const tcp = o.first?.timing.tcpConnectMs;
    const seed = tcp !== undefined && tcp > 0 ? updateRtt(undefined, tcp) : undefined;
    this.estimator = this.fresh(o.clock.mono(), seed === undefined ? undefined : { srtt: seed.srtt, rttvar: seed.rttvar });
  }

  /** The estimator in use. */
  get current(): LivenessEstimator {
    return this.estimator;
  }

  /** A new estimator from now: the learned keep-alive as it is now, the previous RTT estimate kept. */
  renew(): void {
    this.estimator = this.fresh(this.o.clock.mono(), this.estimator.snapshot());
  }

  private fresh(now: number, prev: Pick<LivenessSnapshot, 'srtt' | 'rttvar'> | undefined): LivenessEstimator {
    const { o } = this;
    const c = o.config;
    return new LivenessEstimator(now, {
      defaultIdleIntervalMs: o.defaultKeepaliveMs,
      ...SESSION_LIVENESS,
      ...(c.serverAliveInterval > 0 ? { serverAliveIntervalMs: c.serverAliveInterval * 1000, serverAliveCountMax: c.serverAliveCountMax } : {}),
      ...(o.learned.keepaliveMs === undefined ? {} : { learnedKeepaliveMs: o.learned.keepaliveMs }),
      ...(prev?.srtt !== undefined && prev.rttvar !== undefined ? { initialRtt: { srtt: prev.srtt, rttvar: prev.rttvar } } : {}),
    });
  }
}
