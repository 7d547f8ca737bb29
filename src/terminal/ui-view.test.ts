import { test } from 'node:test';
import assert from 'node:assert/strict';
import xterm from '@xterm/headless';
import { ScreenView } from './ui-view.js';
import type { StatusSnapshot } from './status-text.js';

const { Terminal } = xterm;
const NOW = 5_000_000;
const SNAP: StatusSnapshot = { host: 'h1', state: 'connected', rttMs: 3 };

/** A ScreenView writing into a headless terminal that stands for the user's local terminal. */
function setup(rows = 24, cols = 80) {
  const local = new Terminal({ rows, cols, allowProposedApi: true, scrollback: 0 });
  const view = new ScreenView(rows, cols, true, (d) => local.write(typeof d === 'string' ? d : new Uint8Array(d)), () => NOW);
  view.begin();
  view.setStatus(SNAP);
  const settle = (): Promise<void> =>
    new Promise((r) => view.model.flush(() => setTimeout(() => local.write('', () => r()), 20)));
  const line = (y: number): string => local.buffer.active.getLine(local.buffer.active.baseY + y)?.translateToString(true) ?? '';
  const screen = (): string[] => Array.from({ length: local.rows }, (_, y) => line(y));
  return { local, view, settle, line, screen, dispose: () => (view.dispose(), local.dispose()) };
}

const ADVERSARIAL: [string, string][] = [
  ['clear screen', '\x1b[H\x1b[2J'],
  ['erase below from the top', '\x1b[H\x1b[J'],
  ['reset region then write on the last row', '\x1b[r\x1b[24;1Hlast-row-text'],
  ['absolute moves past the end', '\x1b[99;1Hxx\x1b[50dyy\x1b[30;5fzz'],
  ['hundreds of line feeds', 'scroll\r\n'.repeat(300)],
  ['RIS', 'before\x1bcafter'],
  ['soft reset then bottom', '\x1b[!p\x1b[r\x1b[24;1Hsoft'],
  ['alternate screen drawn to the bottom', '\x1b[?1049h\x1b[H\x1b[2J' + 'alt\r\n'.repeat(40) + '\x1b[24;1Halt-last\x1b[?1049l'],
  ['own small region, then wrap at its bottom', '\x1b[5;10r\x1b[10;1H' + 'w'.repeat(400) + '\x1b[r'],
  ['own small region, then wrap below it', '\x1b[5;10r\x1b[23;1H' + 'v'.repeat(400)],
];

for (const [name, input] of ADVERSARIAL) {
  test(`the bar row survives: ${name}`, async () => {
    const t = setup();
    try {
      t.view.write(Buffer.from(input));
      await t.settle();
      assert.match(t.line(23), /^ h1 │ connected │ rtt 3\.0 ms/);
    } finally {
      t.dispose();
    }
  });
}

test('an outage panel over the frame, then the frame back exactly', async () => {
  const t = setup();
  try {
    t.view.write(Buffer.from('\x1b[1;32mgreen\x1b[0m\r\n' + Array.from({ length: 30 }, (_, i) => `row ${i}`).join('\r\n')));
    await t.settle();
    const before = t.screen();
    t.view.showPanel({ kind: 'outage', info: { host: 'h1', downSince: NOW - 3000, cause: 'firewall' } });
    await t.settle();
    assert.ok(t.screen().some((l) => l.includes('The link to h1 is down (3 s).')));
    assert.ok(t.screen().some((l) => l.includes('Cause so far: firewall')));
    t.view.hidePanel('outage');
    await t.settle();
    assert.deepEqual(t.screen(), before);
    t.view.write(Buffer.from('\r\nnext'));
    await t.settle();
    assert.equal(t.line(22), 'next');
  } finally {
    t.dispose();
  }
});

test('resize: the bar moves to the new last row and the frame is painted again', async () => {
  const t = setup();
  try {
    t.view.write(Buffer.from('hello\r\nworld'));
    await t.settle();
    t.local.resize(100, 30);
    assert.equal(t.view.resize(30, 100), true);
    assert.equal(t.view.remoteRows(), 29);
    await t.settle();
    assert.match(t.line(29), /^ h1 │ connected/);
    assert.equal(t.line(0), 'hello');
    assert.equal(t.line(1), 'world');
    assert.equal(t.view.resize(30, 100), false);
  } finally {
    t.dispose();
  }
});

test('a resize while a redraw is pending still fences the new region', async () => {
  const t = setup();
  try {
    t.view.showPanel({ kind: 'outage', info: { host: 'h1', downSince: NOW } });
    t.view.hidePanel('outage'); // redraw pending: the model has not been flushed yet
    t.local.resize(80, 30);
    t.view.resize(30, 80);
    t.view.write(Buffer.from('line\r\n'.repeat(100)));
    await t.settle();
    assert.match(t.line(29), /^ h1 │ connected/);
    assert.equal(t.line(28), '');
    assert.equal(t.line(27), 'line');
  } finally {
    t.dispose();
  }
});

test('~b blanks the bar row and brings it back', async () => {
  const t = setup();
  try {
    t.view.toggleBar();
    await t.settle();
    assert.equal(t.line(23), '');
    t.view.toggleBar();
    await t.settle();
    assert.match(t.line(23), /^ h1 │ connected/);
  } finally {
    t.dispose();
  }
});

test('exit text leaves the alternate screen and resets modes', async () => {
  const t = setup();
  try {
    t.view.write(Buffer.from('\x1b[?1049h\x1b[?1000h\x1b[?2004h\x1b[?1h\x1b[?25l'));
    await t.settle();
    assert.equal(t.local.buffer.active.type, 'alternate');
    t.local.write(t.view.exitText());
    await t.settle();
    assert.equal(t.local.buffer.active.type, 'normal');
    assert.equal(t.local.modes.mouseTrackingMode, 'none');
    assert.equal(t.local.modes.bracketedPasteMode, false);
    assert.equal(t.local.modes.applicationCursorKeysMode, false);
    assert.equal(t.line(23), '');
  } finally {
    t.dispose();
  }
});

test('tiny and huge terminals: nothing throws, the bar fits the width', async () => {
  for (const [rows, cols] of [
    [3, 10],
    [2, 20],
    [100, 300],
  ] as const) {
    const t = setup(rows, cols);
    try {
      t.view.write(Buffer.from('x'.repeat(cols * rows * 2)));
      t.view.showPanel({ kind: 'outage', info: { host: 'a-rather-long-host-name.example.org', downSince: NOW, evidence: ['e'.repeat(400)] } });
      t.view.flash('message '.repeat(60), 1000);
      await t.settle();
      assert.ok(t.line(rows - 1).length <= cols);
      t.view.hidePanel('outage');
      await t.settle();
      assert.match(t.line(rows - 1), /^ message/);
    } finally {
      t.dispose();
    }
  }
});

test('an outage panel that changes size (a long error, then a short one): one border, the old one painted over', async () => {
  const t = setup();
  try {
    t.view.write(Buffer.from(Array.from({ length: 30 }, (_, i) => `row ${i} ${'.'.repeat(60)}`).join('\r\n')));
    await t.settle();
    const long = 'kex_exchange_identification: read: Connection reset by peer, and then some more words';
    for (const lastError of [undefined, long, 'refused', long]) {
      t.view.showPanel({ kind: 'outage', info: { host: 'h1', downSince: NOW - 4000, lastError, evidence: ['32 × closed-before-banner'] } });
      await t.settle();
      const screen = t.screen().slice(0, -1); // the bar row has its own │
      const tops = screen.filter((l) => l.includes('┌'));
      assert.equal(tops.length, 1, screen.join('\n'));
      assert.equal(tops[0]?.split('┌').length, 2, `one top-left corner (${lastError}): ${tops[0]}`);
      assert.equal(screen.filter((l) => l.includes('└')).length, 1, screen.join('\n'));
      for (const l of screen) assert.equal(l.split('│').length, l.includes('│') ? 3 : 1, `two side borders on a row (${lastError}): ${l}`);
    }
    t.view.hidePanel('outage');
    await t.settle();
    assert.ok(!t.screen().slice(0, -1).some((l) => /[┌└│]/.test(l)), 'no border left behind');
  } finally {
    t.dispose();
  }
});
