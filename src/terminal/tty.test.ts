import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { LocalTty, RESET_MODES } from './tty.js';

/** Fake tty streams that record raw-mode switches and writes. */
function fake(isTTY = true) {
  const raw: boolean[] = [];
  const written: string[] = [];
  const stdin = Object.assign(new PassThrough(), { isTTY, setRawMode: (m: boolean) => raw.push(m) });
  const stdout = Object.assign(new PassThrough(), { isTTY: false, columns: 120, rows: 40 });
  stdout.on('data', (d: Buffer) => written.push(d.toString()));
  return { stdin, stdout, raw, written };
}

test('raw mode on enter, off once on dispose, with the restore text', async () => {
  const f = fake();
  const exitListeners = process.listeners('exit').length;
  const tty = new LocalTty(f);
  assert.equal(tty.interactive, true);
  assert.deepEqual(tty.size(), { rows: 40, cols: 120 });
  tty.enter(() => 'BYE' + RESET_MODES);
  assert.deepEqual(f.raw, [true]);
  assert.equal(process.listeners('exit').length, exitListeners + 1);
  tty.dispose();
  tty.dispose();
  tty.restore();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(f.raw, [true, false]);
  assert.deepEqual(f.written, ['BYE' + RESET_MODES]);
  assert.equal(process.listeners('exit').length, exitListeners);
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT'] as const) assert.equal(process.listeners(sig).length, 0);
});

test('not a tty: no raw mode, default size, restore still writes the resets', async () => {
  const f = fake(false);
  Object.assign(f.stdout, { columns: undefined, rows: undefined });
  const tty = new LocalTty(f);
  assert.equal(tty.interactive, false);
  assert.deepEqual(tty.size(), { rows: 24, cols: 80 });
  tty.enter();
  tty.dispose();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(f.raw, []);
  assert.deepEqual(f.written, [RESET_MODES]);
});

test('a throwing restore text still leaves raw mode', () => {
  const f = fake();
  const tty = new LocalTty(f);
  tty.enter(() => {
    throw new Error('broken ui');
  });
  tty.dispose();
  assert.deepEqual(f.raw, [true, false]);
});

test('pause and resume raw mode for a suspend', () => {
  const f = fake();
  const tty = new LocalTty(f);
  tty.enter();
  tty.pauseRaw();
  tty.resumeRaw();
  tty.dispose();
  tty.resumeRaw();
  assert.deepEqual(f.raw, [true, false, true, false]);
});
