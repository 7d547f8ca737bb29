// Smoothed round-trip time exactly as TCP keeps it (RFC 6298 section 2), pure.

/** srtt and rttvar in ms; undefined until the first sample. */
export interface RttEstimate {
  readonly srtt: number;
  readonly rttvar: number;
}

/** RFC 6298 gain of srtt (alpha = 1/8): slow to move, so one odd sample does not swing it. */
export const RTT_ALPHA = 1 / 8;
/** RFC 6298 gain of rttvar (beta = 1/4): faster, so jitter widens the timeout quickly. */
export const RTT_BETA = 1 / 4;
/** RFC 6298's K: the retransmission timeout is srtt + K·rttvar. */
export const RTT_K = 4;

/** Folds one sample R (ms) in: first sample srtt = R, rttvar = R/2; later rttvar uses the old srtt. */
export function updateRtt(prev: RttEstimate | undefined, sampleMs: number): RttEstimate {
  const r = Math.max(0, sampleMs);
  if (prev === undefined) return { srtt: r, rttvar: r / 2 };
  const rttvar = (1 - RTT_BETA) * prev.rttvar + RTT_BETA * Math.abs(prev.srtt - r);
  const srtt = (1 - RTT_ALPHA) * prev.srtt + RTT_ALPHA * r;
  return { srtt, rttvar };
}

/** srtt + 4·rttvar: how long a healthy link may take to answer. */
export function rto(est: RttEstimate): number {
  return est.srtt + RTT_K * est.rttvar;
}
