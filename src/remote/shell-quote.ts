// Quoting for POSIX sh (and fish, which reads `\\` inside single quotes): every remote string goes through here.
import { TetherError } from '../common/errors.js';

/** Words that need no quotes in sh, bash, zsh, dash, ksh or fish (a leading `=` is zsh's EQUALS expansion). */
const SAFE = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

/**
 * One shell word that the remote shell turns back into exactly `s`: single-quoted runs, with each
 * `'` and `\` outside the quotes as `\'` and `\\`, so fish (which reads backslashes inside single
 * quotes) gets the same string as sh.
 */
export function shQuote(s: string): string {
  if (s.includes('\0')) {
    throw new TetherError('internal', `cannot pass a NUL byte to the remote shell: ${JSON.stringify(s)}`);
  }
  if (SAFE.test(s)) return s;
  if (s === '') return "''";
  return s
    .split(/([\\'])/)
    .filter((part) => part !== '')
    .map((part) => (part === "'" ? "\\'" : part === '\\' ? '\\\\' : `'${part}'`))
    .join('');
}

/** A command line of quoted words. */
export function shJoin(words: readonly string[]): string {
  return words.map(shQuote).join(' ');
}
