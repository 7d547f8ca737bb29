// What the demo prints at the end: each fault it injected next to what tether said about it.
import type { ResetRecord } from '../../history/record.js';

/** One fault the demo injected, and when (epoch ms). */
export interface InjectedFault {
  at: number;
  imitates: string;
}

/** How a reset ended, in a few words. */
function ending(r: ResetRecord): string {
  const took = r.downtimeMs === null ? '' : ` in ${formatMs(r.downtimeMs)}`;
  switch (r.outcome) {
    case 'restored':
      return `back${took}, same shell`;
    case 'survived':
      return `the old link came back${took}`;
    case 'new-session':
      return `back${took}, NEW shell`;
    default:
      return r.outcome;
  }
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The lines: one per fault (with tether's diagnosis of the reset that followed it, if any), then a total. */
export function demoSummary(startedAt: number, faults: readonly InjectedFault[], resets: readonly ResetRecord[]): string[] {
  const lines: string[] = [];
  const used = new Set<ResetRecord>();
  faults.forEach((f, i) => {
    const until = faults[i + 1]?.at ?? Infinity;
    const r = resets.find((x) => !used.has(x) && Date.parse(x.detectedAt) >= f.at - 500 && Date.parse(x.detectedAt) < until);
    const when = `+${Math.round((f.at - startedAt) / 1000)} s`.padStart(6);
    if (r) used.add(r);
    lines.push(`${when}  ${f.imitates}\n          → tether: ${r ? `${r.cause}, ${ending(r)}` : 'no reset recorded (the link rode it out, or you quit first)'}`);
  });
  const healed = resets.filter((r) => r.outcome === 'restored' || r.outcome === 'survived').length;
  lines.push(`tether demo: ${faults.length} fault(s) injected, ${resets.length} reset(s) recorded, ${healed} healed into the same shell.`);
  return lines;
}
