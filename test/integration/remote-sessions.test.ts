// `tether sessions` against a real tmux server on a private socket.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runSessionsCommand } from '../../src/remote/sessions.js';
import { shJoin } from '../../src/remote/shell-quote.js';
import type { PrivateTmux } from './remote-harness.js';
import { privateTmux } from './remote-harness.js';

let tmux: PrivateTmux;
const NASTY = `prój 'x' \`id\` "y" ;&|`;

async function tm(...args: string[]): Promise<string> {
  const r = await tmux.exec(shJoin(['tmux', '-S', tmux.socket.path, ...args]));
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

async function names(): Promise<string[]> {
  const r = await tmux.exec(shJoin(['tmux', '-S', tmux.socket.path, 'list-sessions', '-F', '#{session_name}']));
  return r.code === 0 ? r.stdout.trim().split('\n').sort() : [];
}

function run(args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  return runSessionsCommand(args, tmux.exec, { stdout: (s) => (out += s), stderr: (s) => (err += s) }, { socket: tmux.socket }).then(
    (status) => ({ status, out, err }),
  );
}

before(async () => {
  tmux = privateTmux();
  await tm('new-session', '-d', '-s', 'tether-aaa', '-x', '80', '-y', '24');
  await tm('new-session', '-d', '-s', 'tether-bbb');
  await tm('new-session', '-d', '-s', 'work');
  await tm('new-session', '-d', '-s', NASTY, ';', 'set-option', '-q', '-t', `=${NASTY}:`, '@tether', '1');
});

after(async () => {
  await tmux.dispose();
});

test('lists tether- sessions and @tether ones, not the user\'s own', async () => {
  const r = await run([]);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^NAME\s+CREATED/);
  for (const n of ['tether-aaa', 'tether-bbb', NASTY]) assert.ok(r.out.includes(n), `${n} in\n${r.out}`);
  assert.doesNotMatch(r.out, /^work\b/m);
  const json = await run(['--json']);
  const listed = json.out.trim().split('\n').map((l) => JSON.parse(l) as { name: string; panePid?: number });
  assert.deepEqual(listed.map((s) => s.name).sort(), ['tether-aaa', 'tether-bbb', NASTY].sort());
  assert.ok(listed.every((s) => typeof s.panePid === 'number'));
});

test('--kill NAME kills that one (nasty name included); a non-tether name is refused', async () => {
  assert.equal((await run(['--kill', NASTY])).status, 0);
  assert.deepEqual(await names(), ['tether-aaa', 'tether-bbb', 'work']);
  const refused = await run(['--kill', 'work']);
  assert.equal(refused.status, 1);
  assert.deepEqual(await names(), ['tether-aaa', 'tether-bbb', 'work']);
});

test('--kill-all leaves only the user\'s sessions; then the list is empty', async () => {
  const r = await run(['--kill-all']);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, 'killed tether-aaa\nkilled tether-bbb\n');
  assert.deepEqual(await names(), ['work']);
  assert.equal((await run([])).out, 'no tether sessions\n');
});

test('no tmux server at all: an empty list, status 0', async () => {
  await tm('kill-server');
  const r = await run([]);
  assert.equal(r.status, 0);
  assert.equal(r.out, 'no tether sessions\n');
});
