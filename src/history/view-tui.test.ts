import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import xterm from '@xterm/headless';
import { summarize } from './query.js';
import { sampleRecord } from './test-records.js';
import { detailText, listRow, runHistoryTui } from './view-tui.js';

const T = Date.UTC(2026, 10, 21, 12, 0, 0);

test('detail text carries the facts, the evidence and the advice', () => {
  const r = sampleRecord('a', 'web', 'firewall', T, 4100);
  const text = detailText(r);
  assert.match(text, /^web {2}\(alice@web\.example:22\) {2}session tether-a$/m);
  assert.match(text, /^cause firewall {2}confidence 0\.90 \(high\) {2}outcome restored$/m);
  assert.match(text, /^Evidence\n {2}• firewall evidence for a\n {2}• same boot/m);
  assert.match(text, /^Advice\n {2}• advice for firewall$/m);
  assert.equal(listRow(r), '2026-11-21 12:00:00Z  web  firewall  4.1 s  restored');
});

test('the browser draws the list and the newest reset, moves with the keys, and quits on q', async () => {
  const records = [sampleRecord('a', 'web', 'idle-timeout', T), sampleRecord('b', 'db', 'reboot', T + 60_000)];
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
  // The bytes go into a headless terminal, so assertions read the screen a user would see.
  const term = new xterm.Terminal({ cols: 100, rows: 30, allowProposedApi: true });
  let pending = Promise.resolve();
  const output = Object.assign(
    new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        pending = pending.then(() => new Promise<void>((r) => term.write(chunk, r)));
        cb();
      },
    }),
    { columns: 100, rows: 30, isTTY: true },
  );
  const screenText = async (): Promise<string> => {
    await new Promise((r) => setTimeout(r, 50));
    await pending;
    const b = term.buffer.active;
    return Array.from({ length: 30 }, (_, i) => b.getLine(i)?.translateToString(true) ?? '').join('\n');
  };
  const done = runHistoryTui(records, summarize(records), { input, output, terminal: 'xterm-256color' });
  let screen = await screenText();
  assert.ok(screen.includes('resets (2, oldest first)'), screen);
  assert.ok(screen.includes('• reboot evidence for b'), 'the newest reset is shown first');
  assert.ok(screen.includes('db  1 reset (reboot 1); down 4 s in total'), 'its host summary');
  input.write('k'); // vi up: the older reset
  screen = await screenText();
  assert.ok(screen.includes('• idle-timeout evidence for a'), screen);
  assert.ok(!screen.includes('reboot evidence for b'), 'the old detail is gone');
  assert.ok(screen.includes('• advice for idle-timeout'), 'with its advice');
  assert.ok(screen.includes('web  1 reset (idle-timeout 1)'), 'the footer follows the host');
  input.write('q');
  await done;
  term.dispose();
});
