// The session's state as the status bar shows it (the reference the port's state events are tested against), and
// the outage panel's lines so far.
import type { LivenessSnapshot, SessionState, SessionStatus } from '../../recovery/index.js';
import type { LinkState, StatusSnapshot } from '../../terminal/status-text.js';
import type { OutageTracker } from './outage-tracker.js';

/** The inputs of one snapshot, all on the monotonic clock. */
export interface StatusInput {
  host: string;
  st: SessionStatus;
  state: SessionState;
  live: LivenessSnapshot;
  held: number;
  resetsToday: number;
  lastCause: string | undefined;
  now: number;
}

function linkState(name: SessionStatus['name']): LinkState {
  return name === 'stopped' ? 'down' : name;
}

/** The bar's snapshot. */
export function statusSnapshot(i: StatusInput): StatusSnapshot {
  return {
    host: i.host,
    state: linkState(i.st.name),
    ...(i.st.attempts > 0 && i.st.name !== 'connected' ? { attempt: i.st.attempts } : {}),
    ...(i.state.nextAttemptAt !== undefined && i.st.name === 'down' ? { nextTryAt: i.state.nextAttemptAt } : {}),
    ...(i.live.srtt === undefined ? {} : { rttMs: i.live.srtt }),
    keepaliveMs: i.live.keepaliveMs,
    ...(i.held > 0 ? { heldKeys: i.held } : {}),
    resetsToday: i.resetsToday,
    ...(i.lastCause === undefined ? {} : { lastCause: i.lastCause }),
  };
}

/** What the outage panel says so far: the attempts' results and what the probes saw (published in state events). */
export function outageLines(outage: OutageTracker): string[] {
  const evidence: string[] = [];
  const counts = new Map<string, number>();
  for (const a of outage.attempts) counts.set(a.result, (counts.get(a.result) ?? 0) + 1);
  for (const [result, n] of counts) evidence.push(`${n} × ${result}`);
  if (outage.icmpReachable !== undefined) evidence.push(outage.icmpReachable ? 'host answers ping' : 'host does not answer ping');
  if (outage.interfaceChanges.length > 0) evidence.push(`local network changed (${outage.interfaceChanges.map((c) => `${c.iface ?? '?'} ${c.kind}`).join(', ')})`);
  if (outage.drift) evidence.push(`this machine was asleep ~${Math.round(outage.drift.timerLateMs / 1000)} s`);
  return evidence;
}
