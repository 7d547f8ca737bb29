// The outage panel's lines so far, from what the session saw during the outage (published in its state events).
import type { OutageTracker } from './outage-tracker.js';

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
