// The liveness tuning of an interactive session: how fast a silent link is suspect and dead (see LivenessOptions).
import type { LivenessOptions } from './liveness.js';

/**
 * Suspect after max(400 ms, RTO): the session machine then checks the path, and a silent path (blackhole, dropped
 * port, no route) is dead within about 0.8 s on a LAN. When the path answers, the silence must outlast TCP's own
 * loss recovery (four lost retransmissions take 3 s) before the link is dead, or follow an idle gap of 5 s (a
 * middlebox that forgot the link: dead after 1 s), so that a path losing 5 % of its packets is no outage.
 */
export const SESSION_LIVENESS: Readonly<LivenessOptions> = {
  minSuspectMs: 400,
  suspectPeriods: 2,
  minDeadMs: 3_500,
  quickDeadMs: 1_000,
  quickDeadAfterIdleMs: 5_000,
};
