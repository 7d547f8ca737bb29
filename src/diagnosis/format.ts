// Short human renderings of durations and identifiers for evidence lines and the history view.

/** A duration as people say it: `850 ms`, `4.1 s`, `2 s`, `301 s`, `25 min 3 s`, `3 h 5 min`. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 10_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
  if (abs < 1000_000) return `${Math.round(ms / 1000)} s`;
  const totalSec = Math.round(abs / 1000);
  const sign = ms < 0 ? '-' : '';
  if (totalSec < 3600) return `${sign}${Math.floor(totalSec / 60)} min ${totalSec % 60} s`;
  const totalMin = Math.floor(totalSec / 60);
  if (totalMin < 48 * 60) return `${sign}${Math.floor(totalMin / 60)} h ${totalMin % 60} min`;
  return `${sign}${Math.floor(totalMin / 1440)} d ${Math.floor((totalMin % 1440) / 60)} h`;
}

/** The first characters of an id, enough to tell two apart in a sentence (`3f2a…`). */
export function shortId(id: string, chars = 4): string {
  return id.length <= chars ? id : `${id.slice(0, chars)}…`;
}

/** `1 attempt`, `3 attempts`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
