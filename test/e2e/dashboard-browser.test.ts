// `tether dashboard` in a real Chromium: the token, the history plots from a large fixture, a live tether's outage
// and its new reset without a reload, and the page reconnecting by itself to a dashboard restarted on the same port.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Page } from 'playwright-core';
import { CHROMIUM, launchChromium, runDashboard, startDashboard } from '../helpers/dashboard.js';
import { fixtureRecords, writeFixtureHistory } from '../helpers/history-fixture.js';
import { killAllDrivers } from '../helpers/pty-driver.js';
import { ROOT, built, withTether } from '../helpers/tether-pty.js';

after(killAllDrivers);

const skip = !built() ? 'dist/ is not built: run `npm run build` first' : !existsSync(CHROMIUM) ? `${CHROMIUM} is not installed` : false;

/** The status of a GET with these headers. */
function statusOf(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The HTTP status a WebSocket upgrade got (101 when accepted). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

/** Collects page errors; the test fails on any. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

// waits are selectors (the page's CSP forbids the eval a string predicate needs); in-page reads are strings,
// because this program is compiled without the DOM's types, as src/ is
/** The history half has drawn. */
const DRAWN = '#history[data-draw-ms]';
/** The history half shows n resets. */
const rowsAre = (n: number): string => `#history[data-rows="${n}"]`;

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

test('the history page: token required, plots of 3000 records, damaged lines counted, filters, evidence on click', { skip, timeout: 120_000 }, async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'tether-dash-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(join(home, 'tether'), { recursive: true });
  const file = join(home, 'tether', 'resets.jsonl');
  const records = fixtureRecords(3000, Date.now());
  writeFixtureHistory(file, records, 2);
  const before = sha(file);
  const dash = await startDashboard(home);
  t.after(() => void dash.stop());
  const base = `http://127.0.0.1:${dash.port}`;

  // every request without the token is refused, whatever it asks for
  assert.equal(await statusOf(`${base}/`), 403);
  assert.equal(await statusOf(`${base}/?token=${'0'.repeat(32)}`), 403);
  assert.equal(await statusOf(`${base}/api/history`), 403);
  assert.equal(await statusOf(`${base}/vendor/chart.umd.min.js`), 403);
  assert.equal(await upgradeStatus(`ws://127.0.0.1:${dash.port}/ws`), 403);
  assert.equal(await statusOf(dash.url, { Host: `evil.example:${dash.port}` }), 403, 'another host name (DNS rebinding) is refused');
  assert.equal(await statusOf(dash.url), 200);
  assert.equal(await upgradeStatus(`ws://127.0.0.1:${dash.port}/ws?token=${dash.token}`), 101);

  // a second dashboard on the same port: one line, exit 2
  const busy = await runDashboard(home, ['--port', String(dash.port)]);
  assert.equal(busy.code, 2);
  assert.match(busy.stderr, /^tether dashboard: port \d+ on 127\.0\.0\.1 is in use\n$/);

  const browser = await launchChromium();
  t.after(() => void browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchErrors(page);
  await page.goto(dash.url);
  await page.waitForSelector(DRAWN, { timeout: 30_000 });
  const timing = (await page.evaluate("({ ...document.getElementById('history').dataset })")) as Record<string, string>;
  t.diagnostic(`3000 records: fetch ${timing.fetchMs} ms, plots ${timing.drawMs} ms, total ${timing.totalMs} ms`);
  assert.equal(timing.rows, '3000');
  // a timing goal belongs in a benchmark: only a gross regression fails here
  assert.ok(Number(timing.totalMs) < 10_000, `history drawn in ${timing.totalMs} ms`);
  assert.match(await page.textContent('#skipped') ?? '', /^2 damaged lines in the history skipped/);
  for (const id of ['c-timeline', 'c-downtime', 'c-causes', 'c-idle']) {
    const drawn = (await page.evaluate(
      `(() => { const c = document.getElementById('${id}'); const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let ink = 0; for (let i = 3; i < px.length; i += 4) if (px[i] > 0) ink++; return ink; })()`,
    )) as number;
    assert.ok(drawn > 1000, `${id} has something drawn (${drawn} pixels)`);
  }

  // the same filters as `tether history`: --cause
  await page.selectOption('#f-cause', 'firewall');
  await page.click('#filters button');
  const firewall = records.filter((r) => r.cause === 'firewall').length;
  await page.waitForSelector(rowsAre(firewall));
  assert.match(await page.textContent('#hist-summary') ?? '', new RegExp(`^${firewall} of 3000 resets shown`));
  await page.fill('#f-since', 'nonsense');
  await page.click('#filters button');
  await page.waitForSelector('#hist-error:not([hidden])');
  assert.match(await page.textContent('#hist-error') ?? '', /--since: bad value "nonsense"/);
  // the browser logs the 400 it was given; that one was asked for
  errors.splice(0, errors.length, ...errors.filter((e) => !/status of 400/.test(e)));

  // click a reset: its evidence and advice
  await page.fill('#f-since', '');
  await page.click('#filters button');
  await page.waitForSelector('#hist-error', { state: 'hidden' });
  await page.click('#resets tbody tr:first-child');
  await page.waitForSelector('#detail:not([hidden])');
  const newest = records.filter((r) => r.cause === 'firewall').at(-1);
  assert.equal(await page.getAttribute('#detail', 'data-id'), newest?.id);
  assert.deepEqual(await page.$$eval('#detail-evidence li', (lis) => lis.map((l) => l.textContent)), newest?.evidence);
  assert.deepEqual(await page.$$eval('#detail-advice li', (lis) => lis.map((l) => l.textContent)), newest?.advice);

  // a phone-width window: nothing wider than the screen
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const phoneErrors = watchErrors(phone);
  await phone.goto(dash.url);
  await phone.waitForSelector(DRAWN, { timeout: 30_000 });
  assert.ok(((await phone.evaluate('document.documentElement.scrollWidth')) as number) <= 390, 'no sideways scrolling at phone width');

  assert.deepEqual([...errors, ...phoneErrors], []);
  assert.equal(sha(file), before, 'the dashboard never writes the history');
  assert.equal(await dash.stop(), 0);
});

test('a live tether: its outage and its new reset appear without a reload; a restarted dashboard is picked up by the page', { skip, timeout: 180_000 }, async (ctx) => {
  await withTether({}, async (t) => {
    const { world } = t;
    mkdirSync(join(t.stateHome, 'tether'), { recursive: true });
    const file = join(t.stateHome, 'tether', 'resets.jsonl');
    writeFixtureHistory(file, fixtureRecords(600, Date.now() - 3_600_000, 21), 0);
    let dash = await startDashboard(t.stateHome);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors = watchErrors(page);
      await page.goto(dash.url);
      const card = '.session[data-host="127.0.0.1"]';
      await page.waitForSelector(`${card}[data-state="connected"]`, { timeout: 20_000 });
      await page.waitForSelector(rowsAre(600));
      await page.evaluate('window.marker = 42');
      assert.match(await page.textContent(`${card} [data-fact="keep-alive"]`) ?? '', /^\d+(\.\d)? s$/);

      // sshd "down": the link is reset and new connections are refused until healed
      world.proxy.inject('refuse');
      world.proxy.inject('reset');
      await page.waitForSelector(`${card}:is([data-state="down"], [data-state="reconnecting"])`, { timeout: 20_000 });
      await page.waitForSelector(`${card} .outage:text-matches("^outage \\\\d\\\\d:\\\\d\\\\d")`);
      // the README's picture: the session in its outage above the history (TETHER_SCREENSHOT=1 writes docs/dashboard.png)
      const shot = process.env.TETHER_SCREENSHOT === '1' ? join(ROOT, 'docs', 'dashboard.png') : join(t.stateHome, 'dashboard.png');
      await page.screenshot({ path: shot });
      assert.ok(readFileSync(shot).length > 10_000, 'a screenshot was written');
      const lag = await page.getAttribute('#sessions', 'data-lag-ms');
      ctx.diagnostic(`the live change reached the page ${lag} ms after the session published it`);
      await new Promise((r) => setTimeout(r, 1500));
      world.proxy.heal();
      await page.waitForSelector(`${card}[data-state="connected"]`, { timeout: 30_000 });
      // the new reset, from tether's own history line, in the table and the plots
      await page.waitForSelector(rowsAre(601), { timeout: 20_000 });
      await page.waitForSelector('#resets tbody tr:first-child td:nth-child(2):text-is("127.0.0.1")');
      assert.match(await page.textContent(`${card} [data-fact="resets"]`) ?? '', /^1 \(last: [a-z-]+\)$/);
      await page.click('#resets tbody tr:first-child');
      await page.waitForSelector('#detail:not([hidden])');

      // the dashboard restarts on the same port: the page reconnects by itself, no reload
      const port = dash.port;
      assert.equal(await dash.stop(), 0);
      await page.waitForSelector('#conn[data-state="closed"]');
      dash = await startDashboard(t.stateHome, ['--port', String(port)]);
      await page.waitForSelector('#conn[data-state="open"][data-opens="2"]', { timeout: 20_000 });
      await page.waitForSelector(`${card}[data-state="connected"]`);
      assert.equal(await page.evaluate('window.marker'), 42, 'the same page, not reloaded');
      assert.deepEqual(errors.filter((e) => !/ERR_CONNECTION_REFUSED|WebSocket connection/.test(e)), []);
    } finally {
      await browser.close();
      await dash.stop();
    }
  });
});
