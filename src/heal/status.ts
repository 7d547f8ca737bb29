// The outage panel's lines so far, from the outage record's evidence (published in the session's state events).
import type { Outage } from '../recovery/index.js';

/** What the outage panel says so far: the attempts' results and what the probes saw (published in state events). */
export function outageLines(outage: Outage | undefined): string[] {
  if (outage === undefined) return [];
  const e = outage.evidence;
  const lines: string[] = [];
  const counts = new Map<string, number>();
  for (const a of e.attempts) counts.set(a.result, (counts.get(a.result) ?? 0) + 1);
  for (const [result, n] of counts) lines.push(`${n} × ${result}`);
  if (e.icmpReachable !== undefined) lines.push(e.icmpReachable ? 'host answers ping' : 'host does not answer ping');
  if (e.interfaceChanges.length > 0) lines.push(`local network changed (${e.interfaceChanges.map((c) => `${c.iface ?? '?'} ${c.kind}`).join(', ')})`);
  if (e.drift) lines.push(`this machine was asleep ~${Math.round(e.drift.timerLateMs / 1000)} s`);
  return lines;
}
