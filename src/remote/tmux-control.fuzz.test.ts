// Fuzz: tmux's control-mode stream (a hostile or broken server may send anything). Any bytes parse without a
// throw; any split of the same bytes into reads gives the same events; what tmux would write for a set of
// events (replies, %output with its octal escapes, notifications) reads back as those events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fc, fuzz, splitAt, tetherOnly } from '../../test/helpers/fuzz.js';
import { ControlParser } from './tmux-control.js';
import type { ControlEvent } from './tmux-control.js';

/** %output's escaping as tmux writes it: bytes below space and backslash as `\ooo`. */
function encodeOutput(data: Buffer): string {
  let s = '';
  for (const b of data) s += b < 0x20 || b === 0x5c ? `\\${b.toString(8).padStart(3, '0')}` : String.fromCharCode(b);
  return s;
}

const pane = fc.integer({ min: 0, max: 999 }).map((n) => `%${n}`);
/** A reply line: anything without a line end that cannot be taken for the block's own end. */
const replyLine = fc.string({ maxLength: 40 }).map((l) => l.replace(/[\r\n]/g, ' ')).filter((l) => !/^%(end|error) /.test(l));
/** One event and the lines tmux writes for it (output bytes are latin1 here, so the line is one byte per char). */
const event = fc.oneof(
  fc.tuple(pane, fc.uint8Array({ maxLength: 60 })).map(([p, bytes]) => ({
    lines: [`%output ${p} ${encodeOutput(Buffer.from(bytes))}`],
    event: { type: 'output', pane: p, data: Buffer.from(bytes) } as ControlEvent,
  })),
  fc.tuple(fc.nat(1e6), fc.boolean(), fc.boolean(), fc.array(replyLine, { maxLength: 4 })).map(([n, fromClient, ok, lines]) => ({
    lines: [`%begin 1796598130 ${n} ${fromClient ? 1 : 0}`, ...lines, `%${ok ? 'end' : 'error'} 1796598130 ${n} ${fromClient ? 1 : 0}`],
    event: { type: 'reply', number: n, fromClient, ok, lines } as ControlEvent,
  })),
  fc.tuple(fc.constantFrom('window-add', 'sessions-changed', 'layout-change', 'some-future-thing'), fc.stringMatching(/^[ -~]{0,30}$/)).map(([name, args]) => ({
    lines: [`%${name}${args === '' ? '' : ` ${args}`}`],
    event: { type: 'notification', name, args } as ControlEvent,
  })),
  pane.map((p) => ({ lines: [`%pause ${p}`], event: { type: 'pause', pane: p } as ControlEvent })),
);

function parseAll(chunks: readonly Buffer[]): ControlEvent[] {
  const p = new ControlParser();
  return chunks.flatMap((c) => p.feed(c));
}

test('any bytes parse without a throw, and any split of them gives the same events', (t) => {
  const stream = fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    fc.array(fc.oneof(event.map((e) => e.lines.join('\n')), fc.string({ maxLength: 30 }), fc.constantFrom('%begin 1 2 1', '%end 1 2 1', '%output', '%output %1', '\r', '%exit bye')), { maxLength: 10 }).map((ls) => Buffer.from(`${ls.join('\n')}\n`, 'latin1')),
  );
  fuzz(t, 'tmux control any bytes, split-invariance', fc.tuple(stream, fc.array(fc.nat(), { maxLength: 10 })), ([bytes, cuts]) => {
    const whole = tetherOnly(() => parseAll([bytes]));
    assert.ok(whole.ok);
    assert.deepEqual(parseAll(splitAt(bytes, cuts)), whole.value);
  });
});

test("what tmux writes for a sequence of events reads back as those events, %output's bytes exactly", (t) => {
  fuzz(t, 'tmux control round trip', fc.tuple(fc.array(event, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 })), ([events, cuts]) => {
    const bytes = Buffer.from(`${events.flatMap((e) => e.lines).join('\n')}\n`, 'latin1');
    assert.deepEqual(parseAll(splitAt(bytes, cuts)), events.map((e) => e.event));
  });
});
