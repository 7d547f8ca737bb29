// Values readconf.c checks as it reads them (a port, a time): a bad one is a config error, as `ssh -G` says it.
import { TetherError } from '../common/errors.js';

/** Keywords that take a time (readconf.c's parse_time: convtime). */
const TIME_KEYWORDS = new Set(['serveraliveinterval', 'connecttimeout', 'forwardx11timeout', 'controlpersist']);
const UNIT_SECONDS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** OpenSSH's convtime(): `90`, `1m30s`, `2H`; undefined when malformed or too large. */
export function convtime(s: string): number | undefined {
  if (s === '' || !/^(\d+[sSmMhHdDwW]?)+$/.test(s)) return undefined;
  let total = 0;
  for (const [, n, unit] of s.matchAll(/(\d+)([sSmMhHdDwW]?)/g)) total += Number(n) * (UNIT_SECONDS[(unit ?? '').toLowerCase()] ?? 1);
  return total <= 2_147_483_647 ? total : undefined;
}

/** The words to store for a keyword whose value readconf.c checks; throws a config error for a bad value. */
export function checkedWords(key: string, words: readonly string[]): readonly string[] {
  const first = words[0] ?? '';
  if (key === 'port') {
    const n = /^\d{1,5}$/.test(first) ? Number(first) : 0;
    if (n < 1 || n > 65535) throw new TetherError('config', `Bad port '${first}'.`);
    return [String(n)];
  }
  if (TIME_KEYWORDS.has(key) && !(key === 'controlpersist' && /^(yes|no)$/i.test(first))) {
    const n = convtime(first);
    if (n === undefined) throw new TetherError('config', `invalid time value '${first}' for ${key}.`);
    return [String(n)];
  }
  return words;
}
