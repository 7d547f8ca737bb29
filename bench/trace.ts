// Reads tether's TETHER_DEBUG_LOG trace: the wall-clock time of the first state-machine event matching a pattern.
import { existsSync, readFileSync } from 'node:fs';

/** Time (ms since epoch) of the first trace line at or after `since` whose text matches `re`, or null. */
export function traceTime(file: string, re: RegExp, since: number): number | null {
  if (!existsSync(file)) return null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    const at = Date.parse(line.slice(0, sp));
    if (Number.isFinite(at) && at >= since && re.test(line.slice(sp + 1))) return at;
  }
  return null;
}

/** The state machine noticed a silent link (status bar: suspect). */
export const SUSPECT = /"verdict":"suspect"|-> suspect\b/;
/** The link was declared dead (status bar: down / reconnecting). */
export const DEAD = /"verdict":"dead"|-> (down|reconnecting)\b/;
/** The same session is back (tmux reattached). */
export const RESTORED = /"type":"restore-done"/;
/** The old link came back before the new one (make before break). */
export const SURVIVED = /-> connected\b/;
