// Quoting for POSIX sh (and fish, which reads `\\` inside single quotes): every remote string goes through here.
import { TetherError } from '../common/errors.js';

/** Words that need no quotes in sh, bash, zsh, dash, ksh or fish (a leading `=` is zsh's EQUALS expansion). */
const SAFE = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

/**
 * One shell word that the remote shell turns back into exactly `s`.
 * Single quotes, with `'` and `\` taken outside them (`'\''`, `'\\'`) so fish reads it the same as sh.
 */
export function shQuote(s: string): string {
  if (s.includes('\0')) {
    throw new TetherError('internal', `cannot pass a NUL byte to the remote shell: ${JSON.stringify(s)}`);
  }
  if (SAFE.test(s)) return s;
  const body = s.replace(/[\\']/g, (c) => (c === "'" ? "'\\''" : "'\\\\'"));
  return `'${body}'`.replace(/^''(?=.)/, '').replace(/(?<=.)''$/, '');
}

/** A command line of quoted words. */
export function shJoin(words: readonly string[]): string {
  return words.map(shQuote).join(' ');
}
