import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TetherError } from '../common/errors.js';
import type { ExecResult, RemoteExec } from './exec.js';
import { formatAge, formatSessionTable, listSessionsCommand, parseSessionList } from './sessions-list.js';
import { parseSessionsArgs, runSessionsCommand } from './sessions.js';

const LISTING = [
  '1795317842\t1\t2\t11030\t1\ttether-k3x9',
  '1795310000\t0\t1\t9000\t\twork',
  '1795300000\t0\t3\t8000\t1\tmy proj\twith tab',
  '1795300001\t0\t1\t8001\t\ttether-old',
  'garbage line',
  '',
].join('\n');

test('the listing command puts the name last', () => {
  assert.match(listSessionsCommand(), /^tmux -u -L tether list-sessions -F '#\{session_created\}\t.*\t#\{@tether\}\t#\{session_name\}'$/);
  assert.match(listSessionsCommand({ path: '/tmp/s' }), /^tmux -u -S \/tmp\/s list-sessions/);
});

test('parse: tether- names and @tether ones are tether sessions; odd names survive', () => {
  const s = parseSessionList(LISTING);
  assert.equal(s.length, 4);
  assert.deepEqual(s[0], { name: 'tether-k3x9', created: 1795317842, attached: 1, windows: 2, panePid: 11030, tether: true });
  assert.equal(s[1]?.tether, false);
  assert.equal(s[2]?.name, 'my proj\twith tab');
  assert.equal(s[2]?.tether, true);
});

test('table: aligned, with ages; empty says so', () => {
  const t = formatSessionTable(parseSessionList(LISTING).filter((x) => x.tether), 1795317900);
  const lines = t.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^NAME\s+CREATED\s+AGE\s+ATTACHED\s+WINDOWS\s+PID$/);
  assert.match(lines[1] ?? '', /^tether-k3x9\s+2026-\d\d-\d\d \d\d:\d\d\s+58s\s+yes \(1\)\s+2\s+11030$/);
  assert.ok(lines[2]?.startsWith('my proj\\x09with tab'));
  assert.equal(formatSessionTable([], 0), 'no tether sessions\n');
  assert.deepEqual([formatAge(5), formatAge(300), formatAge(7200), formatAge(200000)], ['5s', '5m', '2h', '2d']);
});

test('args', () => {
  assert.deepEqual(parseSessionsArgs([]), { action: 'list', json: false });
  assert.deepEqual(parseSessionsArgs(['--json']), { action: 'list', json: true });
  assert.deepEqual(parseSessionsArgs(['--kill', 'tether-a']), { action: 'kill', name: 'tether-a', json: false });
  assert.deepEqual(parseSessionsArgs(['--kill=x y']), { action: 'kill', name: 'x y', json: false });
  assert.deepEqual(parseSessionsArgs(['--kill-all']), { action: 'kill-all', json: false });
  for (const bad of [['--kill'], ['--frob'], ['--kill', 'a', '--kill-all'], ['--kill', 'a.b']]) {
    assert.throws(() => parseSessionsArgs(bad), (e: unknown) => e instanceof TetherError && e.kind === 'usage', bad.join(' '));
  }
});

/** A fake server: answers list-sessions with LISTING and records kills. */
function fakeExec(listing: ExecResult): { exec: RemoteExec; commands: string[] } {
  const commands: string[] = [];
  const exec: RemoteExec = (command) => {
    commands.push(command);
    if (command.includes('list-sessions')) return Promise.resolve(listing);
    if (command.includes('kill-session')) return Promise.resolve({ stdout: '', stderr: '', code: 0 });
    return Promise.resolve({ stdout: '', stderr: 'unexpected', code: 2 });
  };
  return { exec, commands };
}

function collect(): { out: string[]; err: string[]; io: { stdout: (s: string) => void; stderr: (s: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s) } };
}

test('list prints only tether sessions', async () => {
  const { exec } = fakeExec({ stdout: LISTING, stderr: '', code: 0 });
  const c = collect();
  assert.equal(await runSessionsCommand([], exec, c.io, { now: () => 1795317900_000 }), 0);
  const text = c.out.join('');
  assert.match(text, /tether-k3x9/);
  assert.match(text, /tether-old/);
  assert.doesNotMatch(text, /^work/m);
});

test('--json prints one object per line', async () => {
  const { exec } = fakeExec({ stdout: LISTING, stderr: '', code: 0 });
  const c = collect();
  await runSessionsCommand(['--json'], exec, c.io);
  const objs = c.out.join('').trim().split('\n').map((l) => JSON.parse(l) as { name: string });
  assert.deepEqual(objs.map((o) => o.name), ['tether-k3x9', 'my proj\twith tab', 'tether-old']);
});

test('--kill kills one tether session by exact target, refuses a non-tether one', async () => {
  const f = fakeExec({ stdout: LISTING, stderr: '', code: 0 });
  const c = collect();
  assert.equal(await runSessionsCommand(['--kill', 'tether-old'], f.exec, c.io), 0);
  assert.equal(f.commands[1], "tmux -L tether kill-session -t '=tether-old'");
  assert.equal(c.out.join(''), 'killed tether-old\n');
  const c2 = collect();
  assert.equal(await runSessionsCommand(['--kill', 'work'], f.exec, c2.io), 1);
  assert.match(c2.err.join(''), /no tether session named "work"/);
});

test('--kill-all kills every tether session', async () => {
  const f = fakeExec({ stdout: LISTING, stderr: '', code: 0 });
  const c = collect();
  assert.equal(await runSessionsCommand(['--kill-all'], f.exec, c.io), 0);
  assert.equal(f.commands.filter((x) => x.includes('kill-session')).length, 3);
});

test('no tmux server: empty list; no tmux: said on stderr', async () => {
  const none = collect();
  await runSessionsCommand([], fakeExec({ stdout: '', stderr: 'no server running on /tmp/tmux-0/default', code: 1 }).exec, none.io);
  assert.equal(none.out.join(''), 'no tether sessions\n');
  const missing = collect();
  assert.equal(await runSessionsCommand([], fakeExec({ stdout: '', stderr: 'sh: tmux: not found', code: 127 }).exec, missing.io), 0);
  assert.match(missing.err.join(''), /tmux is not installed/);
});
