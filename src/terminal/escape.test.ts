import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EscapeParser, parseEscapeChar, escapeHelp, type EscapeAction } from './escape.js';

const TILDE = 0x7e;

/** Feeds chunks and renders the actions compactly: sends as JSON strings, others by type. */
function run(chunks: string[], esc: number | null = TILDE): string[] {
  const p = new EscapeParser(esc);
  return chunks.flatMap((c) => p.feed(Buffer.from(c, 'latin1'))).map(render);
}
function render(a: EscapeAction): string {
  return a.type === 'send' ? JSON.stringify(a.bytes.toString('latin1')) : a.type === 'unsupported' ? `unsupported ${a.key}` : a.type;
}

test('escape at session start disconnects and drops the rest', () => {
  assert.deepEqual(run(['~.ls\r']), ['disconnect']);
});

test('escape only after CR or LF', () => {
  assert.deepEqual(run(['a~.']), ['"a~."']);
  assert.deepEqual(run(['ls\r~.']), ['"ls\\r"', 'disconnect']);
  assert.deepEqual(run(['x\n~r']), ['"x\\n"', 'reconnect']);
});

test('~~ sends one tilde and ends the line start', () => {
  assert.deepEqual(run(['~~.']), ['"~."']);
});

test('~ then another key sends both', () => {
  assert.deepEqual(run(['~x']), ['"~x"']);
  assert.deepEqual(run(['~\r~.']), ['"~\\r"', 'disconnect']);
});

test('split across chunks', () => {
  assert.deepEqual(run(['\r', '~', '.']), ['"\\r"', 'disconnect']);
  assert.deepEqual(run(['\r~', 'q']), ['"\\r"', '"~q"']);
});

test('tether keys and help keep the line start', () => {
  assert.deepEqual(run(['~?~s~b~r~.']), ['help', 'show-diagnosis', 'toggle-bar', 'reconnect', 'disconnect']);
});

test('OpenSSH keys tether lacks say so', () => {
  assert.deepEqual(run(['~C', '~#', '~&']), ['unsupported ~C', 'unsupported ~#', 'unsupported ~&']);
  assert.deepEqual(run(['~\x1a']), ['suspend']);
});

test('no escape char: everything is sent', () => {
  assert.deepEqual(run(['~.'], null), ['"~."']);
});

test('another escape char', () => {
  const caret = parseEscapeChar('^]');
  assert.equal(caret, 0x1d);
  assert.deepEqual(run(['\x1d.'], caret), ['disconnect']);
  assert.deepEqual(run(['~.'], caret), ['"~."']);
  assert.equal(parseEscapeChar('none'), null);
  assert.equal(parseEscapeChar('%'), 0x25);
  assert.throws(() => parseEscapeChar('ab'), /escape character/);
});

test('help text lists the keys, OpenSSH style', () => {
  const text = escapeHelp(TILDE);
  assert.match(text, /^Supported escape sequences:\r\n ~\. {3}- terminate connection/);
  assert.match(text, / ~~ {3}- send the escape character by typing it twice/);
  assert.match(text, / ~r {3}- reconnect now/);
  assert.match(text, / ~\^Z {2}- suspend tether/);
  assert.match(escapeHelp(0x1d), / \^\]\. {2}- terminate/);
});

test('resetLineStart makes the next ~ an escape', () => {
  const p = new EscapeParser(TILDE);
  assert.deepEqual(p.feed(Buffer.from('abc')).map(render), ['"abc"']);
  p.resetLineStart();
  assert.deepEqual(p.feed(Buffer.from('~.')).map(render), ['disconnect']);
});

test('a terminal reply is passed on and leaves the line start as it was', () => {
  const p = new EscapeParser(0x7e);
  assert.deepEqual(p.feed(Buffer.from('\x1b[>0;276;0c')).map(render), ['"\\u001b[>0;276;0c"']);
  assert.deepEqual(p.feed(Buffer.from('~.')).map(render), ['disconnect']);
  const q = new EscapeParser(0x7e);
  assert.deepEqual(q.feed(Buffer.from('\x1b[A~.')).map(render), ['"\\u001b[A~."']); // a typed key does end it
});

test('a terminal reply between the escape char and its key leaves the escape pending (found by fuzzing)', () => {
  assert.deepEqual(run(['~', '\x1b[?62;22c', '.']), ['"\\u001b[?62;22c"', 'disconnect']);
  assert.deepEqual(run(['~\x1b[12;40R#']), ['"\\u001b[12;40R"', 'unsupported ~#']);
});
