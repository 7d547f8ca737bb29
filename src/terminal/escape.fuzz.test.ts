// Fuzz: the keystroke stream. Any split of the same bytes into reads gives the same actions; nothing is invented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fc, fuzz, splitAt } from '../../test/helpers/fuzz.js';
import { EscapeParser } from './escape.js';
import type { EscapeAction } from './escape.js';
import { withoutReplies } from './replies.js';

/** Keys as a terminal sends them: text, line ends, the escape char and its commands, arrows, control bytes. */
const key = fc.oneof(
  fc.constantFrom('~', '~', '\r', '\n', '.', '?', 'r', 's', 'b', '#', 'C', '\x1a', '\x03', '\x1b', '\x1b[A', '\x1bOB', '\x1b[200~', 'x', ' '),
  fc.string({ maxLength: 4 }),
  fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b)),
);
const typed = fc.array(key, { maxLength: 40 }).map((ks) => Buffer.from(ks.join(''), 'latin1'));
/** Terminal replies (answers to queries: DA, CPR, an OSC colour report): never typing. */
const reply = fc.constantFrom('\x1b[?62;22c', '\x1b[12;40R', '\x1b[0n', '\x1b]11;rgb:0000/0000/0000\x07', '\x1bP>|xterm(388)\x1b\\', '\x1b[I');

/** Actions up to the first disconnect (the session ends there), adjacent sends merged. */
function normal(actions: readonly EscapeAction[]): string[] {
  const out: string[] = [];
  let send = '';
  for (const a of actions) {
    if (a.type === 'send') {
      send += a.bytes.toString('latin1');
      continue;
    }
    if (send !== '') out.push(`send ${JSON.stringify(send)}`);
    send = '';
    out.push(a.type === 'unsupported' ? `unsupported ${a.key}` : a.type);
    if (a.type === 'disconnect') return out;
  }
  if (send !== '') out.push(`send ${JSON.stringify(send)}`);
  return out;
}

function feedAll(chunks: readonly Buffer[], esc: number | null = 0x7e): EscapeAction[] {
  const p = new EscapeParser(esc);
  return chunks.flatMap((c) => p.feed(c));
}

test('any split of typed bytes gives the same actions as one read', (t) => {
  fuzz(t, 'keystrokes split-invariance', fc.tuple(typed, fc.array(fc.nat(), { maxLength: 12 })), ([bytes, cuts]) => {
    // a terminal reply cut in two is not recognised as one (see the next property); typing alone must never differ
    fc.pre(withoutReplies(bytes).length === bytes.length);
    assert.deepEqual(normal(feedAll(splitAt(bytes, cuts))), normal(feedAll([bytes])));
  });
});

test('terminal replies arriving whole between keys do not change what the keys do', (t) => {
  const keys = typed.filter((b) => withoutReplies(b).length === b.length).map((bytes) => ({ reply: false, bytes }));
  const answer = reply.map((r) => ({ reply: true, bytes: Buffer.from(r, 'latin1') }));
  const reads = fc.array(fc.oneof({ weight: 3, arbitrary: keys }, { weight: 1, arbitrary: answer }), { maxLength: 8 });
  fuzz(t, 'keystrokes with terminal replies', reads, (parts) => {
    const local = (chunks: Buffer[]): string[] => normal(feedAll(chunks)).filter((a) => !a.startsWith('send'));
    const withReplies = local(parts.map((p) => p.bytes));
    const without = local(parts.filter((p) => !p.reply).map((p) => p.bytes));
    assert.deepEqual(withReplies, without, 'the same local actions with or without the replies');
  });
});

test('nothing is invented: sent bytes are a subsequence of the input; with -e none everything is sent as is', (t) => {
  fuzz(t, 'keystrokes no invention', fc.tuple(typed, fc.array(fc.nat(), { maxLength: 6 })), ([bytes, cuts]) => {
    const actions = feedAll(splitAt(bytes, cuts));
    const sent = Buffer.concat(actions.flatMap((a) => (a.type === 'send' ? [a.bytes] : [])));
    assert.ok(sent.length <= bytes.length, 'never more bytes than typed');
    let i = 0;
    for (const b of sent) {
      while (i < bytes.length && bytes[i] !== b) i++;
      assert.ok(i < bytes.length, 'every sent byte was typed, in order');
      i++;
    }
    assert.deepEqual(Buffer.concat(feedAll(splitAt(bytes, cuts), null).flatMap((a) => (a.type === 'send' ? [a.bytes] : []))), bytes);
  });
});
