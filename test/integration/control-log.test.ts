// The invisible session's pane log against a real tmux (private socket, no ssh): the writer pipe-pane runs keeps the
// pane's bytes in fixed-size segments (the oldest removed past the bound), and the reader gives them back from any
// byte offset, exactly, saying how much was skipped when the offset is older than what is kept.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { LOG_SEGMENT_BYTES, LOG_SEGMENTS, controlCommand, readerCommand } from '../../src/remote/control-scripts.js';
import type { PrivateTmux } from './remote-harness.js';
import { childEnv, privateTmux } from './remote-harness.js';

let tmux: PrivateTmux;
let control: ChildProcessWithoutNullStreams | undefined;
const SESSION = 'log-test';
/** More than the log keeps: `seq 1 N` prints about 9.3 bytes a line (CR LF from the pane's tty). */
const LAST = 8_000_000;

before(() => {
  tmux = privateTmux();
});

after(async () => {
  control?.kill('SIGKILL');
  // the pane's writer may still be finishing its segment when the server goes: a second try once it has
  await tmux.dispose().catch(async () => {
    await sleep(1000);
    await tmux.dispose();
  });
});

const env = (): Record<string, string> => childEnv({ TMPDIR: tmux.dir, PS1: '$ ' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function tmuxOut(args: string[]): Promise<string> {
  const r = await tmux.exec(['tmux', '-S', tmux.socket.path, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '), { timeoutMs: 10_000 });
  return r.stdout.trim();
}

/** Runs the reader from `from` until its output contains `until`; returns stdout bytes and stderr text. */
async function read(instance: string, from: number | 'end', until: string): Promise<{ out: Buffer; err: string }> {
  const r = spawn('/bin/sh', ['-c', readerCommand(SESSION, instance, from)], { env: env() });
  const chunks: Buffer[] = [];
  let err = '';
  let tail = '';
  r.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the reader never printed ${until}; stderr: ${err}`)), 60_000);
      r.stdout.on('data', (d: Buffer) => {
        chunks.push(d);
        tail = (tail + d.toString('latin1')).slice(-200);
        if (tail.includes(until)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } finally {
    r.kill('SIGTERM');
  }
  return { out: Buffer.concat(chunks), err };
}

test('the pane log keeps the last segments, and the reader gives any kept byte range back exactly, saying what was skipped', { timeout: 180_000 }, async () => {
  control = spawn('/bin/sh', ['-c', controlCommand({ session: SESSION, term: 'xterm-256color', cols: 100, rows: 30, socket: tmux.socket })], { env: env() });
  control.stdout.on('data', () => undefined);
  control.stdin.write('refresh-client -f no-output\n');
  let instance = '';
  for (let i = 0; i < 100 && !/^\d+-\d+-%\d+$/.test(instance); i++) {
    await sleep(100);
    instance = await tmuxOut(['display-message', '-p', '-t', SESSION, '#{pid}-#{session_created}-#{pane_id}']).catch(() => '');
  }
  assert.match(instance, /^\d+-\d+-%\d+$/, 'tmux names the pane');
  const base = join(tmux.dir, `tether-${process.getuid?.() ?? 0}`, `s-${Buffer.from(SESSION).toString('hex')}`, instance);
  // the flood, then a marker the shell prints after it; wait-for says when the shell got there
  control.stdin.write(`send-keys -t ${SESSION} -l 'seq 1 ${LAST}; echo flood-""done; tmux -S ${tmux.socket.path} wait-for -S flooded'\n`);
  control.stdin.write(`send-keys -t ${SESSION} Enter\n`);
  await tmuxOut(['wait-for', 'flooded']);
  const segs = (): string[] => readdirSync(base).filter((n) => /^seg\.\d{6}$/.test(n)).sort();
  for (let i = 0; i < 50 && !(await tmuxOut(['display-message', '-p', '-t', SESSION, '#{pane_pid}'])); i++) await sleep(100);
  await sleep(500); // the last bytes reach the file

  const kept = segs();
  assert.equal(kept.length, LOG_SEGMENTS, `the log keeps ${LOG_SEGMENTS} segments (${kept.join(' ')})`);
  const first = Number(kept[0]?.slice(4));
  assert.ok(first > 0, 'older segments were removed');
  for (const name of kept.slice(0, -1)) assert.equal(statSync(join(base, name)).size, LOG_SEGMENT_BYTES, `${name} is full`);
  assert.ok(!existsSync(join(base, `seg.${String(first - 1).padStart(6, '0')}.pid`)), 'a removed segment leaves no pid file');
  const keptBytes = Buffer.concat(kept.map((n) => readFileSync(join(base, n))));
  const logEnd = first * LOG_SEGMENT_BYTES + keptBytes.length;

  // from 0: everything before the first kept segment is skipped and said; the rest comes exactly
  const all = await read(instance, 0, 'flood-done');
  const skip = /tether-skip (\d+)/.exec(all.err);
  assert.equal(Number(skip?.[1]), first * LOG_SEGMENT_BYTES, `the reader says how much it skipped: ${all.err}`);
  assert.match(all.err, new RegExp(`tether-log ${first * LOG_SEGMENT_BYTES}\\b`));
  // the first reader of a session finds no earlier reader to send away, and says nothing else (dash's "cannot open")
  for (const line of all.err.split('\n').filter((l) => l !== '')) assert.match(line, /^tether-(log|skip) \d+$/, `reader stderr: ${all.err}`);
  assert.ok(all.out.length >= keptBytes.length, `${all.out.length} bytes read, ${keptBytes.length} kept`);
  assert.ok(all.out.subarray(0, keptBytes.length).equals(keptBytes), 'the bytes are the kept log, in order');
  // and the numbers in it run on without a gap or a repeat up to the last one
  const text = all.out.toString('latin1');
  const nums = text.split('\r\n').slice(1).filter((l) => /^\d+$/.test(l)).map(Number);
  assert.equal(nums[nums.length - 1], LAST);
  for (let i = 1; i < nums.length; i++) if (nums[i] !== (nums[i - 1] ?? 0) + 1) assert.fail(`line ${i}: ${nums[i - 1]} then ${nums[i]}`);

  // from inside a kept segment, across a segment boundary: exactly the bytes from that offset
  const from = (first + 1) * LOG_SEGMENT_BYTES - 1000;
  const mid = await read(instance, from, 'flood-done');
  assert.match(mid.err, new RegExp(`tether-log ${from}\\b`));
  assert.doesNotMatch(mid.err, /tether-skip/);
  const expected = keptBytes.subarray(from - first * LOG_SEGMENT_BYTES);
  assert.ok(mid.out.subarray(0, expected.length).equals(expected), 'the bytes from the offset, across the boundary');

  // from the end: nothing old, and what the pane prints next
  const endRead = read(instance, 'end', 'after-end');
  await sleep(500);
  control.stdin.write(`send-keys -t ${SESSION} -l 'echo after-""end'\nsend-keys -t ${SESSION} Enter\n`);
  const fromEnd = await endRead;
  assert.match(fromEnd.err, new RegExp(`tether-log ${logEnd}\\b`));
  assert.ok(!fromEnd.out.toString('latin1').includes('flood-done'), 'nothing from before the end');

  // the shell exits: the writer ends the log, and a reader ends with the shell's status
  control.stdin.write(`send-keys -t ${SESSION} -l 'exit 7'\nsend-keys -t ${SESSION} Enter\n`);
  for (let i = 0; i < 100 && !existsSync(join(base, 'end')); i++) await sleep(100);
  assert.ok(existsSync(join(base, 'end')), 'the writer marks the end of the log');
  const last = spawn('/bin/sh', ['-c', readerCommand(SESSION, instance, 'end')], { env: env() });
  last.stdout.resume();
  const code = await new Promise<number | null>((resolve) => last.on('exit', resolve));
  assert.equal(code, 7, "the reader ends with the shell's exit status");
});

/** The parent pid of a live process, or undefined when it is gone. */
function ppidOf(pid: number): number | undefined {
  try {
    return Number(/^PPid:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

test('a control client whose connection is gone (its parent is init) is sent away by the next attach; a live one stays', { timeout: 60_000 }, async (t) => {
  const tmuxArgs = `tmux -S ${tmux.socket.path} -f /dev/null`;
  // an orphan as the soak left them: its stdin open but its parent gone (a control client never notices that)
  const fifo = join(tmux.dir, 'orphan-in');
  execFileSync('mkfifo', [fifo]);
  const holder = spawn('/bin/sh', ['-c', `exec sleep 60 > ${fifo}`], { stdio: 'ignore' });
  execFileSync('/bin/sh', ['-c', `${tmuxArgs} -C new-session -A -s orphan < ${fifo} > /dev/null 2>&1 &`], { env: env() });
  let live: ChildProcessWithoutNullStreams | undefined;
  try {
    // one client at a time: tmux 3.3a loses its server when two clients start it at the same moment
    const clientOf = async (session: string): Promise<number> => {
      for (let i = 0; i < 50; i++) {
        const out = execFileSync('/bin/sh', ['-c', `${tmuxArgs} list-clients -F '#{client_pid} #{session_name}' 2>&1 || true`]).toString();
        const pid = Number(new RegExp(`^(\\d+) ${session}$`, 'm').exec(out)?.[1] ?? 0);
        if (pid > 0) return pid;
        await sleep(100);
      }
      return 0;
    };
    const orphan = await clientOf('orphan');
    assert.ok(orphan > 0, 'the orphan client attached');
    live = spawn('/bin/sh', ['-c', `exec ${tmuxArgs} -C new-session -A -s alive`], { env: env() });
    live.stdout.resume();
    assert.ok((await clientOf('alive')) > 0, 'the live client attached');
    if (ppidOf(orphan) !== 1) return t.skip(`orphans are reparented to ${ppidOf(orphan)} here (a subreaper), not to init`);
    const next = spawn('/bin/sh', ['-c', controlCommand({ session: 'next', term: 'xterm-256color', cols: 80, rows: 24, socket: tmux.socket })], { env: env() });
    next.stdout.resume();
    for (let i = 0; i < 50 && ppidOf(orphan) !== undefined; i++) await sleep(100);
    assert.equal(ppidOf(orphan), undefined, 'the orphan client is gone');
    assert.ok(live.exitCode === null && live.signalCode === null, 'the client with a live connection stays');
    next.kill('SIGKILL');
  } finally {
    live?.kill('SIGKILL');
    holder.kill('SIGKILL');
  }
});
