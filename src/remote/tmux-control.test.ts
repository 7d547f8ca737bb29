import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControlParser, MAX_LINE_BYTES, decodeOutput } from './tmux-control.js';
import type { ControlEvent } from './tmux-control.js';

// recorded from tmux 3.3a: `tmux -C new-session`, then refresh-client, display-message, a bad command, output, exit
const RECORDED = Buffer.from(
  [
    '%begin 1796598130 260 0',
    '%end 1796598130 260 0',
    '%window-add @0',
    '%sessions-changed',
    '%session-changed $0 my sess',
    '%output %0 a\\134b\\001\\015\\012',
    '%begin 1796598130 266 1',
    'parse error: syntax error',
    '%error 1796598130 266 1',
    '%begin 1796598130 267 1',
    '1796598342-%0 7',
    '%end 1796598130 267 1',
    '%output %0 \\033[?2004hé€ ok\\015\\012',
    '%subscription-changed cwd $0 - - - : /usr/local share',
    '%layout-change @0 a29d,90x20,0,0,0 a29d,90x20,0,0,0 *',
    '%pause %0',
    '%continue %0',
    '%some-future-notification with args',
    '%exit',
    '',
  ].join('\n'),
  'utf8',
);

function all(chunks: Buffer[]): ControlEvent[] {
  const p = new ControlParser();
  return chunks.flatMap((c) => p.feed(c));
}

test('a recorded stream gives the replies, output bytes and notifications', () => {
  const ev = all([RECORDED]);
  assert.deepEqual(ev[1], { type: 'notification', name: 'window-add', args: '@0' });
  const replies = ev.filter((e) => e.type === 'reply');
  assert.deepEqual(replies, [
    { type: 'reply', number: 260, fromClient: false, ok: true, lines: [] },
    { type: 'reply', number: 266, fromClient: true, ok: false, lines: ['parse error: syntax error'] },
    { type: 'reply', number: 267, fromClient: true, ok: true, lines: ['1796598342-%0 7'] },
  ]);
  const out = ev.filter((e) => e.type === 'output');
  assert.deepEqual(out[0], { type: 'output', pane: '%0', data: Buffer.from('a\\b\x01\r\n', 'latin1') });
  assert.deepEqual(out[1]?.type === 'output' ? out[1].data : null, Buffer.from('\x1b[?2004hé€ ok\r\n', 'utf8'));
  assert.ok(ev.some((e) => e.type === 'subscription' && e.name === 'cwd' && e.value === '/usr/local share'));
  assert.ok(ev.some((e) => e.type === 'pause' && e.pane === '%0'));
  assert.ok(ev.some((e) => e.type === 'continue' && e.pane === '%0'));
  assert.ok(ev.some((e) => e.type === 'notification' && e.name === 'some-future-notification'));
  assert.deepEqual(ev.at(-1), { type: 'exit', reason: '' });
});

test('the same events whatever the split: at every offset, and byte by byte', () => {
  const whole = JSON.stringify(all([RECORDED]));
  for (let i = 0; i <= RECORDED.length; i++) {
    assert.equal(JSON.stringify(all([RECORDED.subarray(0, i), RECORDED.subarray(i)])), whole, `split at ${i}`);
  }
  const bytes = [...RECORDED].map((b) => Buffer.from([b]));
  assert.equal(JSON.stringify(all(bytes)), whole);
});

test('invalid UTF-8 split across notifications reaches the terminal byte for byte', () => {
  // a 4-byte character cut in two %output lines (tmux splits output anywhere)
  const s = Buffer.concat([Buffer.from('%output %1 x\xf0\x9f', 'latin1'), Buffer.from('\n%output %1 \x98\x80y\n', 'latin1')]);
  const data = all([s]).flatMap((e) => (e.type === 'output' ? [e.data] : []));
  assert.deepEqual(Buffer.concat(data), Buffer.from('x😀y', 'utf8'));
});

test('lines inside a reply block are output, even when they look like notifications', () => {
  const ev = all([Buffer.from('%begin 1 5 1\n%output %0 not output\n%end 1 4 1\n%end 1 5 1\n')]);
  assert.deepEqual(ev, [{ type: 'reply', number: 5, fromClient: true, ok: true, lines: ['%output %0 not output', '%end 1 4 1'] }]);
});

test('decodeOutput: octal escapes only when three octal digits follow', () => {
  assert.deepEqual(decodeOutput(Buffer.from('\\033[0m\\134\\9x\\12')), Buffer.from('\x1b[0m\\\\9x\\12'));
});

test('an over-long line is dropped and said once; the stream goes on', () => {
  const p = new ControlParser();
  const big = Buffer.alloc(MAX_LINE_BYTES + 10, 0x61);
  const ev = [...p.feed(Buffer.from('%output %0 ')), ...p.feed(big), ...p.feed(Buffer.from('\n%exit detached\n'))];
  assert.equal(ev.filter((e) => e.type === 'overflow').length, 1);
  assert.deepEqual(ev.at(-1), { type: 'exit', reason: 'detached' });
});

test('noise outside blocks (a shell banner, a CR before LF) does not break parsing', () => {
  const ev = all([Buffer.from('Last login: yesterday\r\n%sessions-changed\r\n%exit\n')]);
  assert.deepEqual(ev, [
    { type: 'notification', name: 'sessions-changed', args: '' },
    { type: 'exit', reason: '' },
  ]);
});

test('a reply block that never ends keeps at most the bound in memory', () => {
  const p = new ControlParser();
  p.feed(Buffer.from('%begin 1 9 1\n'));
  const line = Buffer.from(`${'y'.repeat(1023)}\n`);
  let overflows = 0;
  for (let i = 0; i < (MAX_LINE_BYTES >> 10) + 50; i++) overflows += p.feed(line).filter((e) => e.type === 'overflow').length;
  assert.ok(overflows >= 40, 'lines past the bound are dropped and said');
  const ev = p.feed(Buffer.from('%end 1 9 1\n'));
  assert.equal(ev[0]?.type === 'reply' ? ev[0].lines.reduce((a, l) => a + l.length, 0) <= MAX_LINE_BYTES : false, true);
});
