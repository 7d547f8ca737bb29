// remote/ against a real tmux server on a private socket, the interactive command run in a real pty.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectFastFacts, recordFromFacts } from '../../src/remote/session-facts.js';
import { buildInteractiveCommand, NO_TMUX_NOTICE } from '../../src/remote/tmux-command.js';
import { decideReattach, hasSessionCommand, sessionExistsFromExec } from '../../src/remote/reattach.js';
import { parseTmuxVersion } from '../../src/remote/tmux-invocation.js';
import type { PrivateTmux, PtyClient } from './remote-harness.js';
import { childEnv, privateTmux, ptyClient, waitFor } from './remote-harness.js';

let tmux: PrivateTmux;
const clients: PtyClient[] = [];

before(() => {
  tmux = privateTmux();
});

after(async () => {
  for (const c of clients) c.kill();
  await tmux.dispose();
});

function attach(session: string, cols: number, rows: number): PtyClient {
  const { command, restoreMode } = buildInteractiveCommand({
    session,
    cols,
    rows,
    socket: tmux.socket,
    tmuxVersion: parseTmuxVersion('tmux 3.3a'),
  });
  assert.equal(restoreMode, 'tmux');
  const c = ptyClient(command, { cols, rows });
  clients.push(c);
  return c;
}

async function sessionFacts(session: string, pids: number[] = []) {
  return collectFastFacts(tmux.exec, { session, socket: tmux.socket, pids, timeoutMs: 5000 });
}

/** The size of the (single) attached client: tmux sizes the window from it (minus tmux's own status line). */
async function clientSize(session: string): Promise<string> {
  const r = await tmux.exec(`tmux -S '${tmux.socket.path}' list-clients -t '=${session}' -F '#{client_width}x#{client_height}'`);
  return r.stdout.trim();
}

/** The window's size: the client's, less one row when the status line is on. */
async function windowSize(session: string): Promise<string> {
  const r = await tmux.exec(`tmux -S '${tmux.socket.path}' display-message -p -t '=${session}:' '#{window_width}x#{window_height}x#{status}'`);
  const [w, h, status] = r.stdout.trim().split('x');
  return `${w ?? '?'}x${String(Number(h) + (status === 'on' ? 1 : 0))}`;
}

test('new-session -A creates the session, and a second client re-attaches the same one (same pane pid)', async () => {
  const session = 'tether-it1';
  const first = attach(session, 100, 30);
  const created = await waitFor('the session to exist', async () => {
    const f = await sessionFacts(session);
    return f.tmux.session === 'present' ? f : undefined;
  });
  assert.equal(created.tmux.installed, true);
  assert.ok(created.tmux.panePid !== undefined);
  const record = recordFromFacts(created);

  // the pane runs a shell with TETHER_SESSION set (-e on tmux >= 3.2)
  first.write('echo "marker:$TETHER_SESSION:$$"\r');
  await waitFor('the shell to answer', () => (first.output().includes(`marker:${session}:`) ? true : undefined));
  assert.ok(first.output().includes(`marker:${session}:${String(created.tmux.panePid)}`));

  // ...and only in this session: the server's global environment (other sessions) stays clean
  const global = await tmux.exec(`tmux -S '${tmux.socket.path}' show-environment -g TETHER_SESSION`);
  assert.notEqual(global.code, 0, global.stdout);
  const local = await tmux.exec(`tmux -S '${tmux.socket.path}' show-environment -t '=${session}:' TETHER_SESSION`);
  assert.equal(local.stdout.trim(), `TETHER_SESSION=${session}`);

  // the link dies: the client goes away, the session stays
  first.kill();
  await first.exited;
  const between = await tmux.exec(hasSessionCommand(session, tmux.socket));
  assert.equal(sessionExistsFromExec(between), true);

  // reconnect = the same command again; it is the same session and the same shell
  const second = attach(session, 90, 20);
  const again = await waitFor('the client to attach', async () => {
    const f = await sessionFacts(session, [created.tmux.panePid ?? 0]);
    return f.tmux.attached === 1 ? f : undefined;
  });
  assert.equal(again.tmux.panePid, created.tmux.panePid);
  assert.equal(again.tmux.sessionCreated, created.tmux.sessionCreated);
  assert.match(created.tmux.sessionId ?? '', /^\d+\/\$\d+$/, 'tmux reports its server pid and session id');
  assert.equal(again.tmux.sessionId, created.tmux.sessionId);
  assert.deepEqual(again.pids.map((p) => [p.pid, p.alive]), [[created.tmux.panePid, true]]);
  assert.equal(decideReattach({ restoreMode: 'tmux', before: record, now: again }).outcome, 'restored');

  // the window follows the new client's pty (not -x/-y), and a window-change resizes it
  await waitFor('client and window at 90x20', async () =>
    (await clientSize(session)) === '90x20' && (await windowSize(session)) === '90x20' ? true : undefined,
  );
  second.resize(120, 40);
  await waitFor('client and window at 120x40', async () =>
    (await clientSize(session)) === '120x40' && (await windowSize(session)) === '120x40' ? true : undefined,
  );

  // -D: a stale client still attached from the old link is detached by the reattach
  const third = attach(session, 80, 24);
  await waitFor('the older client to be detached', async () => {
    const r = await tmux.exec(`tmux -S '${tmux.socket.path}' list-clients -t '=${session}' -F '#{client_pid}'`);
    return r.stdout.trim().split('\n').length === 1 && (await second.exited.then(() => true)) ? true : undefined;
  });
  third.kill();
});

test('the session carries @tether, so a --session name is recognised as tether\'s', async () => {
  const session = "my proj 'x' (id) `y` \"z\" ;&|";
  const c = attach(session, 80, 24);
  await waitFor('the session to exist', async () => ((await sessionFacts(session)).tmux.session === 'present' ? true : undefined));
  const r = await tmux.exec(`tmux -S '${tmux.socket.path}' list-sessions -F '#{@tether}|#{session_name}'`);
  assert.ok(r.stdout.split('\n').includes(`1|${session}`), r.stdout);
  c.kill();
});

test('after kill-server, has-session reports the session gone and the reattach says so', async () => {
  const session = 'tether-it3';
  const c = attach(session, 80, 24);
  const f = await waitFor('the session to exist', async () => {
    const x = await sessionFacts(session);
    return x.tmux.session === 'present' ? x : undefined;
  });
  const record = recordFromFacts(f);
  await tmux.exec(`tmux -S '${tmux.socket.path}' kill-server`);
  await c.exited;
  const r = await tmux.exec(hasSessionCommand(session, tmux.socket));
  assert.equal(sessionExistsFromExec(r), false);
  // the pane's shell gets SIGHUP from the dying server; under load it may take a moment to exit
  const now = await waitFor('the old pane shell to die with the server', async () => {
    const x = await sessionFacts(session, [f.tmux.panePid ?? 0]);
    return x.pids[0]?.alive === false ? x : undefined;
  });
  assert.equal(now.tmux.server, 'none');
  assert.equal(now.tmux.session, 'absent');
  const d = decideReattach({ restoreMode: 'tmux', before: record, now });
  assert.equal(d.outcome, 'new-session');
  assert.equal(d.outcome === 'new-session' && d.reason, 'session-killed');
  assert.match(d.notice ?? '', /the old shell is gone/);
});

test('a session killed and made again within the same second is told apart by its tmux id', async () => {
  const session = 'tether-it4';
  const c = attach(session, 80, 24);
  const f = await waitFor('the session to exist', async () => {
    const x = await sessionFacts(session);
    return x.tmux.session === 'present' ? x : undefined;
  });
  const record = recordFromFacts(f);
  // killed and created again at once: very likely the same session_created second
  await tmux.exec(`tmux -S '${tmux.socket.path}' kill-session -t '=${session}' \\; new-session -d -s '${session}'`);
  await c.exited;
  const now = await sessionFacts(session);
  assert.equal(now.tmux.session, 'present');
  assert.notEqual(now.tmux.sessionId, f.tmux.sessionId);
  const d = decideReattach({ restoreMode: 'tmux', before: record, now });
  assert.equal(d.outcome, 'new-session', d.evidence.join('; '));
  await tmux.exec(`tmux -S '${tmux.socket.path}' kill-session -t '=${session}'`);
});

test('tmux missing: the same command says so once on stderr and runs a login shell', async () => {
  const emptyPath = mkdtempSync(join(tmpdir(), 'tether-nopath-'));
  try {
    const { command } = buildInteractiveCommand({ session: 'tether-none', socket: tmux.socket });
    const c = ptyClient(command, { cols: 80, rows: 24, env: childEnv({ PATH: emptyPath, SHELL: '/bin/sh' }) });
    clients.push(c);
    await waitFor('the notice', () => (c.output().includes(NO_TMUX_NOTICE) ? true : undefined));
    c.write('echo "plain:$TETHER_SESSION"\r');
    await waitFor('the plain shell', () => (c.output().includes('plain:tether-none') ? true : undefined));
    c.write('exit\r');
    assert.equal(await c.exited, 0);
  } finally {
    rmSync(emptyPath, { recursive: true, force: true });
  }
});
