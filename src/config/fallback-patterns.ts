// OpenSSH's match.c: `*`/`?` wildcards, comma lists with `!` negation, and the glob Include uses.
import { readdirSync } from 'node:fs';

/**
 * match_pattern(): `*` any run, `?` one character; case-sensitive as in OpenSSH. Greedy with one backtrack point (the
 * last `*`), so O(length × pattern) whatever the pattern: a regex of `.*` runs took exponential time on `*a*a*a…b`.
 */
export function matchPattern(s: string, pattern: string): boolean {
  return starMatch(s, pattern, false);
}

/** match_pattern_list(): 1 = a positive match, 0 = none, -1 = a negated pattern matched. */
export function matchPatternList(s: string, list: string): 1 | 0 | -1 {
  let positive = false;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const p = negated ? raw.slice(1) : raw;
    if (!matchPattern(s, p)) continue;
    if (negated) return -1;
    positive = true;
  }
  return positive ? 1 : 0;
}

/** A `Host` line: active when some pattern matches and no negated pattern does. */
export function hostLineMatches(host: string, patterns: readonly string[]): boolean {
  let active = false;
  for (const arg of patterns) {
    const negated = arg.startsWith('!');
    if (!matchPattern(host, negated ? arg.slice(1) : arg)) continue;
    if (negated) return false;
    active = true;
  }
  return active;
}

/** glob(3) over `*`, `?`, `[...]` per path segment, sorted; no match → []. Absolute paths only. */
export function globPaths(pattern: string): string[] {
  const segments = pattern.split('/').filter((s) => s !== '');
  let bases = ['/'];
  for (const seg of segments) {
    const next: string[] = [];
    for (const base of bases) {
      const join = (name: string): string => (base === '/' ? `/${name}` : `${base}/${name}`);
      if (!/[*?[]/.test(seg)) {
        next.push(join(seg));
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(base);
      } catch {
        continue;
      }
      for (const name of names.sort()) {
        if (name.startsWith('.') && !seg.startsWith('.')) continue;
        if (globSegment(name, seg)) next.push(join(name));
      }
    }
    bases = next;
  }
  return bases;
}

/** One `[...]` class at `at` (`!` or `^` negates, a leading `]` is literal, `a-z` ranges): its end and whether `c` is
 * in it; undefined when the class is not closed (glob(3) then takes the `[` literally). */
function bracket(pattern: string, at: number, c: string): { end: number; hit: boolean } | undefined {
  let i = at + 1;
  const negate = pattern[i] === '!' || pattern[i] === '^';
  if (negate) i++;
  let hit = false;
  for (let first = true; i < pattern.length && (first || pattern[i] !== ']'); first = false) {
    const lo = pattern[i] ?? '';
    if (pattern[i + 1] === '-' && pattern[i + 2] !== undefined && pattern[i + 2] !== ']') {
      hit ||= c >= lo && c <= (pattern[i + 2] ?? '');
      i += 3;
    } else {
      hit ||= c === lo;
      i++;
    }
  }
  return i < pattern.length ? { end: i + 1, hit: hit !== negate } : undefined;
}

/** glob(3) for one path segment: `*`, `?`, `[...]`; greedy with one backtrack point, so linear in practice and never
 * exponential (a RegExp of `[^/]*` runs was, and an unclosed `[` made an invalid one). */
export function globSegment(name: string, pattern: string): boolean {
  return starMatch(name, pattern, true);
}

/** The one wildcard matcher of both: `*` and `?`, and `[...]` classes when `classes` (glob; ssh patterns have none). */
function starMatch(name: string, pattern: string, classes: boolean): boolean {
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const pc = pattern[p];
    const c = name[n] ?? '';
    const cls = classes && pc === '[' ? bracket(pattern, p, c) : undefined;
    if (pc === '*') {
      starP = p++;
      starN = n;
    } else if (cls?.hit === true || (cls === undefined && pc !== undefined && (pc === '?' || pc === c))) {
      p = cls?.end ?? p + 1;
      n++;
    } else if (starP >= 0) {
      p = starP + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
