import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionEvents } from '../events/port.js';
import type { LiveMessage } from '../events/wire.js';
import { entryName, listEntries, liveDir, removeIfDead } from './dir.js';
import { startLivePublisher } from './publisher.js';
import { readLiveSession } from './reader.js';
import type { LiveEnd } from './reader.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'tether-live-'));

test('the directory: XDG_RUNTIME_DIR/tether when absolute, else under the state dir', () => {
  assert.equal(liveDir({ XDG_RUNTIME_DIR: '/run/user/7' }, '/s'), '/run/user/7/tether');
  assert.equal(liveDir({ XDG_RUNTIME_DIR: 'rel' }, '/s'), '/s/run');
  assert.equal(liveDir({}, '/s'), '/s/run');
});

test('a reader gets the snapshot, then each event; the socket is private and removed on dispose', async (t) => {
  const root = scratch();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'live');
  const events = new SessionEvents();
  events.publish({ type: 'notice', at: 1, text: 'before the publisher', level: 'info' });
  const starting = startLivePublisher({ dir, events, pid: process.pid, now: () => 5 });
  events.publish({ type: 'notice', at: 2, text: 'while the socket is being made', level: 'info' });
  const pub = await starting;
  assert.equal(pub.view().lastNotice?.text, 'while the socket is being made', 'subscribed at once');
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  events.publish({ type: 'session-start', at: 10, host: 'web', hostname: 'web.example', port: 22, user: 'ann', session: 's', pid: process.pid });
  const got: LiveMessage[] = [];
  let ended: LiveEnd | undefined;
  const r = readLiveSession(pub.path, { onMessage: (m) => got.push(m), onEnd: (w) => (ended = w) });
  await waitFor(() => got.length >= 1);
  assert.equal(got[0]?.kind, 'snapshot');
  assert.equal(got[0]?.kind === 'snapshot' ? got[0].view.host : '', 'web');
  events.publish({ type: 'outage-start', at: 20, trigger: 'ECONNRESET', lastHeardAt: 19 });
  await waitFor(() => got.length >= 2);
  assert.deepEqual(got[1], { kind: 'event', event: { type: 'outage-start', at: 20, trigger: 'ECONNRESET', lastHeardAt: 19 } });
  pub.dispose();
  await waitFor(() => ended !== undefined);
  assert.equal(ended, 'closed');
  await waitFor(() => !existsSync(pub.path));
  r.dispose();
});

test('stale entries: a dead pid is removed, a refused socket is removed by its reader', async (t) => {
  const dir = scratch();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // a process that crashes while listening leaves its socket file behind, as a killed tether does
  const crashed = (name: string): { path: string; pid: number } => {
    const path = join(dir, name);
    const r = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    assert.equal(r.signal, 'SIGKILL');
    assert.ok(existsSync(path));
    return { path, pid: r.pid ?? 0 };
  };
  const dead = crashed(entryName(123, 'ab'));
  const [entry] = await listEntries(dir);
  assert.deepEqual(entry, { path: dead.path, pid: 123 });
  assert.equal(await removeIfDead({ path: dead.path, pid: dead.pid }), true, 'the crashed process is gone');
  assert.equal(existsSync(dead.path), false);
  // a live pid whose socket refuses: its reader removes it
  const refused = crashed(entryName(process.pid, 'cd'));
  assert.equal(await removeIfDead({ path: refused.path, pid: process.pid }), false, 'our own pid is alive');
  let ended: LiveEnd | undefined;
  readLiveSession(refused.path, { onMessage: () => undefined, onEnd: (w) => (ended = w) });
  await waitFor(() => ended !== undefined);
  assert.equal(ended, 'stale');
  assert.equal(existsSync(refused.path), false);
});

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('a socket that cannot be made: rejected and unsubscribed', async (t) => {
  const root = scratch();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const events = new SessionEvents();
  // the directory's place is taken by a file
  const dir = join(root, 'run');
  writeFileSync(dir, '');
  await assert.rejects(startLivePublisher({ dir, events, pid: process.pid, now: () => 0 }), /live session directory/);
  assert.equal(events.size, 0);
});
