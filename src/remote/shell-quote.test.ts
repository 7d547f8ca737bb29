import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shJoin, shQuote } from './shell-quote.js';
import { TetherError } from '../common/errors.js';

test('safe words stay bare', () => {
  assert.equal(shQuote('tether-abc123'), 'tether-abc123');
  assert.equal(shQuote('/tmp/x/sock'), '/tmp/x/sock');
  assert.equal(shQuote('TETHER_SESSION=a'), 'TETHER_SESSION=a');
});

test('everything else is single-quoted', () => {
  assert.equal(shQuote(''), "''");
  assert.equal(shQuote('a b'), "'a b'");
  assert.equal(shQuote('$(rm -rf ~)'), "'$(rm -rf ~)'");
  assert.equal(shQuote('`id`;x'), "'`id`;x'");
  assert.equal(shQuote(';'), "';'");
  assert.equal(shQuote('#{pane_pid}'), "'#{pane_pid}'");
});

test('a leading = is quoted (zsh EQUALS expansion)', () => {
  assert.equal(shQuote('=tether-x'), "'=tether-x'");
});

test('single quotes and backslashes go outside the quotes (sh and fish agree)', () => {
  assert.equal(shQuote("it's"), String.raw`'it'\''s'`);
  assert.equal(shQuote("'"), String.raw`\'`);
  assert.equal(shQuote("''"), String.raw`\'\'`);
  assert.equal(shQuote(String.raw`a\b`), String.raw`'a'\\'b'`);
  assert.equal(shQuote(String.raw`a\'b`), String.raw`'a'\\\''b'`);
  assert.equal(shQuote('\\'), '\\\\');
});

/** Reads a quoted word the way both sh and fish do, refusing a backslash inside quotes (fish would differ). */
function unquote(q: string): string {
  let out = '';
  for (let i = 0; i < q.length; i++) {
    const c = q[i];
    if (c === '\\') out += q[++i] ?? '';
    else if (c === "'") {
      const end = q.indexOf("'", i + 1);
      assert.ok(end > i, `unterminated quote in ${q}`);
      const span = q.slice(i + 1, end);
      assert.ok(!span.includes('\\'), `backslash inside quotes in ${q}`);
      out += span;
      i = end;
    } else out += c;
  }
  return out;
}

/** Names and values that break naive quoting. */
const NASTY = [
  String.raw`a\'b`,
  String.raw`\\`,
  String.raw`x'\'y`,
  'tab\there',
  'nl\nx',
  "'''",
  '$HOME `id` $(id) ${x}',
  '* ? [a] ~ !',
  'ünï çødé',
  '"dq"',
  '; & | < >',
  '-n',
  '=x',
];

test('nasty strings come back exactly, and never with a backslash inside quotes', () => {
  for (const s of NASTY) assert.equal(unquote(shQuote(s)), s);
});

test('NUL cannot be passed', () => {
  assert.throws(() => shQuote('a\0b'), TetherError);
});

test('shJoin quotes each word', () => {
  assert.equal(shJoin(['tmux', 'has-session', '-t', '=my name']), "tmux has-session -t '=my name'");
});
