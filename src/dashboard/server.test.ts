import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { SessionEvents } from '../events/port.js';
import { startLivePublisher } from '../live/publisher.js';
import { runDashboardCommand } from './command.js';
import { startDashboardServer } from './server.js';
import { dashboardToken } from './token.js';

const TOKEN = 'ab'.repeat(16);

/** A scratch state: a live dir and a history file with one good and one damaged line. */
function scratch(): { root: string; live: string; file: string } {
  const root = mkdtempSync(join(tmpdir(), 'tether-dash-'));
  const live = join(root, 'run');
  mkdirSync(live, { mode: 0o700 });
  const file = join(root, 'resets.jsonl');
  const good = { v: 1, id: 'r1', host: 'web', detectedAt: '2026-11-20T00:00:00.000Z', cause: 'firewall', evidence: ['e1'], advice: ['a1'] };
  writeFileSync(file, `${JSON.stringify(good)}\nnot json\n`);
  return { root, live, file };
}

async function start(s: { live: string; file: string }): Promise<Awaited<ReturnType<typeof startDashboardServer>>> {
  return startDashboardServer({ port: 0, token: TOKEN, liveDir: s.live, history: { file: s.file, hostStates: async () => ({}), now: Date.now } });
}

/** Messages a page's socket receives, until `until` says enough. */
function pageSocket(url: string): { messages: { type: string; sessions?: { host: string; state: string }[] }[]; ws: WebSocket } {
  const ws = new WebSocket(url);
  const messages: { type: string; sessions?: { host: string; state: string }[] }[] = [];
  ws.on('message', (d: Buffer) => messages.push(JSON.parse(d.toString()) as (typeof messages)[number]));
  ws.on('error', () => undefined);
  return { messages, ws };
}

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('every request needs the token and a local Host; the page gets its token, the API the same filters as `tether history`', async (t) => {
  const s = scratch();
  t.after(() => rmSync(s.root, { recursive: true, force: true }));
  const srv = await start(s);
  t.after(() => srv.close());
  const base = `http://127.0.0.1:${srv.port}`;
  assert.equal(srv.url, `${base}/?token=${TOKEN}`);
  for (const path of ['/', '/app.js', '/api/history', '/vendor/chart.umd.min.js', '/nope']) assert.equal((await fetch(`${base}${path}`)).status, 403, path);
  assert.equal((await fetch(`${base}/?token=${TOKEN.replace('a', 'c')}`)).status, 403);
  const page = await fetch(srv.url);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  const html = await page.text();
  assert.ok(html.includes(`data-token="${TOKEN}"`) && !html.includes('__TOKEN__'));
  const chart = await fetch(`${base}/vendor/chart.umd.min.js?token=${TOKEN}`);
  assert.equal(chart.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.ok((await chart.arrayBuffer()).byteLength > 100_000);
  assert.equal((await fetch(`${base}/nope?token=${TOKEN}`)).status, 404);
  assert.equal((await fetch(srv.url, { method: 'POST' })).status, 405);
  const hist = (await (await fetch(`${base}/api/history?token=${TOKEN}`)).json()) as { rows: unknown[]; skipped: number; total: number };
  assert.equal(hist.rows.length, 1);
  assert.equal(hist.skipped, 1, 'the damaged line is counted');
  assert.equal(((await (await fetch(`${base}/api/history?token=${TOKEN}&cause=network`)).json()) as { rows: unknown[] }).rows.length, 0);
  assert.equal((await fetch(`${base}/api/history?token=${TOKEN}&since=whenever`)).status, 400);
  const one = (await (await fetch(`${base}/api/reset?token=${TOKEN}&id=r1`)).json()) as { evidence: string[] };
  assert.deepEqual(one.evidence, ['e1']);
  assert.equal((await fetch(`${base}/api/reset?token=${TOKEN}&id=zz`)).status, 404);
});

test('the page socket: refused without the token; with it, live sessions as they change and leave', async (t) => {
  const s = scratch();
  t.after(() => rmSync(s.root, { recursive: true, force: true }));
  const srv = await start(s);
  t.after(() => srv.close());
  const refused = await new Promise<number>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/ws`);
    ws.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
  assert.equal(refused, 403);
  const { messages, ws } = pageSocket(`ws://127.0.0.1:${srv.port}/ws?token=${TOKEN}`);
  t.after(() => ws.close());
  await waitFor(() => messages.length > 0);
  assert.deepEqual(messages[0]?.sessions, []);
  const events = new SessionEvents();
  const pub = await startLivePublisher({ dir: s.live, events, pid: process.pid, now: Date.now });
  events.publish({ type: 'session-start', at: Date.now(), host: 'web', hostname: 'web.example', port: 22, user: 'ann', session: 's', pid: process.pid });
  await waitFor(() => messages.some((m) => m.sessions?.[0]?.host === 'web'));
  events.publish({ type: 'state', at: Date.now(), state: 'down', linkId: undefined, srttMs: 5, rttvarMs: 1, keepaliveMs: 25_000, heldBytes: 0, attempt: 1, nextAttemptAt: undefined, lastError: 'refused' });
  await waitFor(() => messages.at(-1)?.sessions?.[0]?.state === 'down');
  pub.dispose();
  await waitFor(() => messages.at(-1)?.sessions?.length === 0);
  // a history line appended by a session: the page is told to reload its history
  writeFileSync(s.file, '{"v":1,"id":"r2","host":"db","detectedAt":"2026-11-21T00:00:00.000Z"}\n', { flag: 'a' });
  await waitFor(() => messages.some((m) => m.type === 'history-changed'));
});

test('the command: the token is kept 0600; a port in use is one line and exit 2; --help; a browser only with a display', async (t) => {
  const s = scratch();
  t.after(() => rmSync(s.root, { recursive: true, force: true }));
  const token = await dashboardToken(s.live);
  assert.match(token, /^[0-9a-f]{32}$/);
  assert.equal(await dashboardToken(s.live), token, 'kept, so a restarted dashboard keeps its pages');
  assert.equal(statSync(join(s.live, 'dashboard.token')).mode & 0o777, 0o600);
  const busy = await start(s);
  t.after(() => busy.close());
  const out: string[] = [];
  const err: string[] = [];
  const opened: string[] = [];
  const io = (env: Record<string, string>, stopped: Promise<unknown>): Parameters<typeof runDashboardCommand>[1] => ({
    env, liveDir: s.live, historyFile: s.file, hostStates: async () => ({}), stopped,
    stdout: { write: (x: string) => out.push(x) }, stderr: { write: (x: string) => err.push(x) }, openBrowser: (u) => opened.push(u),
  });
  assert.equal(await runDashboardCommand(['--port', String(busy.port)], io({}, Promise.resolve())), 2);
  assert.deepEqual(err, [`tether dashboard: port ${busy.port} on 127.0.0.1 is in use\n`]);
  assert.equal(await runDashboardCommand(['--bogus'], io({}, Promise.resolve())), 2);
  assert.equal(err.at(-1), 'tether dashboard: unknown option "--bogus"\n');
  assert.equal(await runDashboardCommand(['--help'], io({}, Promise.resolve())), 0);
  assert.match(out.at(-1) ?? '', /^usage: tether dashboard/);
  assert.equal(await runDashboardCommand([], io({}, Promise.resolve())), 0);
  assert.deepEqual(opened, [], 'no display: nothing opened');
  assert.equal(await runDashboardCommand(['--no-open'], io({ DISPLAY: ':0' }, Promise.resolve())), 0);
  assert.deepEqual(opened, [], '--no-open');
  assert.equal(await runDashboardCommand([], io({ WAYLAND_DISPLAY: 'wayland-0' }, Promise.resolve())), 0);
  assert.equal(opened.length, 1);
  assert.match(opened[0] ?? '', new RegExp(`^http://127\\.0\\.0\\.1:\\d+/\\?token=${token}$`));
  assert.match(out.at(-1) ?? '', /^tether dashboard: http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}\n$/);
});
