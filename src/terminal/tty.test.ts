import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
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

test('output written in one event-loop turn reaches the stream as one write, before a writeNow', async () => {
  const f = fake();
  const chunks: string[] = [];
  f.stdout.write = ((d: string | Buffer) => {
    chunks.push(d.toString());
    return true;
  }) as typeof f.stdout.write;
  const tty = new LocalTty(f);
  assert.equal(tty.write('a'), true);
  tty.write(Buffer.from('b'));
  tty.write('ç');
  assert.deepEqual(chunks, [], 'nothing before the turn ends');
  assert.equal(tty.pendingBytes, 4);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(chunks, ['abç']);
  tty.write('d');
  tty.writeNow('X');
  assert.deepEqual(chunks, ['abç', 'd', 'X'], 'writeNow goes after what was gathered');
  tty.write(Buffer.alloc(1 << 20, 0x41));
  assert.equal(chunks.length, 4, 'a MiB is written at once');
  tty.dispose();
});

test('a stream that queues: write() says wait, and onDrain says go on once it drained', async () => {
  const f = fake();
  const pending: (() => void)[] = [];
  const got: string[] = [];
  const slow = new Writable({
    highWaterMark: 4,
    write(chunk: Buffer, _enc, cb) {
      got.push(chunk.toString());
      pending.push(cb);
    },
  });
  const tty = new LocalTty({ stdin: f.stdin, stdout: slow });
  let drained = 0;
  tty.onDrain(() => drained++);
  tty.write('0123456789');
  tty.flush();
  assert.equal(tty.blocked, true);
  assert.equal(tty.write('more'), false, 'the producer is told to wait');
  assert.equal(drained, 0);
  while (pending.length > 0 || tty.pendingBytes > 0) {
    pending.shift()?.();
    await new Promise((r) => setImmediate(r));
  }
  assert.equal(tty.blocked, false);
  assert.ok(drained >= 1);
  assert.equal(tty.write(''), true);
  assert.deepEqual(got, ['0123456789', 'more'], 'everything, in order');
  tty.dispose();
});

test('in a real pty: raw mode turns output post-processing off (no CR added), dispose puts it back', async () => {
  const pty = await import('node-pty');
  const child = `
    import { LocalTty } from ${JSON.stringify(new URL('./tty.ts', import.meta.url).pathname)};
    import { execSync } from 'node:child_process';
    const stty = () => execSync('stty -a', { stdio: ['inherit', 'pipe', 'pipe'] }).toString().match(/-?opost/)?.[0];
    const tty = new LocalTty({ stdin: process.stdin, stdout: process.stdout });
    tty.enter(() => '');
    const during = stty();
    process.stdout.write('x\\ny\\r\\n');
    tty.dispose();
    process.stdout.write('after=' + stty() + ' during=' + during + '\\n');
    process.exit(0);
  `;
  const p = pty.spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], { cols: 80, rows: 24 });
  let out = '';
  p.onData((d) => (out += d));
  await new Promise<void>((resolve) => p.onExit(() => resolve()));
  assert.match(out, /x\ny\r\n/, `output is not post-processed while raw: ${JSON.stringify(out)}`);
  assert.match(out, /after=opost during=-opost\r\n/, JSON.stringify(out));
});
