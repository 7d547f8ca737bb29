// End-to-end: the other ways the demo relay and server break the link, each healed into the same remote shell;
// and a resize reaching the remote pty (one row shorter than the local terminal).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { killAllDrivers } from '../helpers/pty-driver.js';
import type { PtyDriver } from '../helpers/pty-driver.js';
import { killDemoTmux } from '../../src/cli/demo/setup.js';
import { PROMPT, built, withTether } from '../helpers/tether-pty.js';
import type { TetherPty } from '../helpers/tether-pty.js';

after(killAllDrivers);

const skip = built() ? false : 'dist/ is not built: run `npm run build` first';

const CONNECTED = /^ 127\.0\.0\.1 │ connected │/;
const FLASH = /^ link down [\d.]+ (ms|s|min): ([a-z-]+)/;

async function waitBar(d: PtyDriver, re: RegExp, what: string, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  await d.waitFor(() => re.test(d.lineAt(-1)), timeoutMs, `${what} (bar ${re}); bar now: ${JSON.stringify(d.lineAt(-1))}`);
  return d.lineAt(-1).match(re) as RegExpMatchArray;
}

/** Prints the shell's PID under a fresh tag and returns it. */
async function shellPid(d: PtyDriver, tag: string): Promise<string> {
  d.write(`echo ${tag}=$$\r`);
  const re = new RegExp(`^${tag}=(\\d+)$`, 'm');
  await d.waitForText(re, 20_000);
  return d.screenText().match(re)?.[1] ?? '';
}

test('a silent path (blackhole) is noticed while idle, and the same shell is back after it', { skip }, async () => {
  await withTether({}, async (t) => {
    const { d, world } = t;
    const before = await shellPid(d, 'PID1');
    world.proxy.inject('blackhole');
    // nobody types: only the idle pings (ServerAliveInterval=2) can notice
    await waitBar(d, /│ (no reply, checking|link down|reconnecting #\d+[^│]*) │/, 'the silence noticed');
    // a stall shorter than SURVIVED_RECORD_MS is TCP's own loss recovery and recorded nowhere: make it longer
    await new Promise((r) => setTimeout(r, 2_000));
    world.proxy.heal();
    await waitBar(d, new RegExp(`${CONNECTED.source}|${FLASH.source}`), 'connected again', 30_000);
    assert.equal(await shellPid(d, 'PID2'), before, 'the same shell process');
    await d.waitFor(() => t.resets().some((r) => r.update !== true), 20_000, 'a history record of the stall');
    const rec = t.resets().find((r) => r.update !== true) ?? {};
    assert.ok(rec.outcome === 'restored' || rec.outcome === 'survived', JSON.stringify(rec));
  });
});

test('an sshd restart (connections dropped, port closed for a while) heals into the same shell', { skip }, async () => {
  await withTether({}, async (t) => {
    const { d, world } = t;
    const before = await shellPid(d, 'PID1');
    world.proxy.inject('refuse');
    world.server.dropConnections();
    await waitBar(d, /│ (link down|reconnecting #\d+[^│]*) │/, 'the outage');
    await d.waitForText(/Connection refused/, 10_000);
    world.proxy.heal();
    const flash = await waitBar(d, FLASH, 'the flash after the restore', 30_000);
    assert.ok((flash[2] ?? '') !== '', 'a cause is named');
    assert.equal(await shellPid(d, 'PID2'), before, 'the same shell process');
  });
});

test('connections closed before the banner (MaxStartups) are retried, and the flash names the cause', { skip }, async () => {
  await withTether({}, async (t) => {
    const { d, world } = t;
    const before = await shellPid(d, 'PID1');
    world.proxy.inject('close-before-banner');
    world.proxy.inject('reset');
    await waitBar(d, /│ (link down|reconnecting #\d+[^│]*) │/, 'the outage');
    await d.waitForText(/closed-before-banner|closed by remote host|before the SSH banner/, 10_000);
    world.proxy.heal();
    const flash = await waitBar(d, FLASH, 'the flash after the restore', 30_000);
    assert.equal(flash[2], 'refused-before-banner');
    assert.equal(await shellPid(d, 'PID2'), before, 'the same shell process');
  });
});

test('a local resize reaches the remote pty, one row shorter for the bar', { skip }, async () => {
  await withTether({ cols: 80, rows: 24 }, async ({ d }) => {
    d.write('stty size\r');
    await d.waitForText(/^23 80$/m);
    d.resize(120, 40);
    await waitBar(d, CONNECTED, 'the bar redrawn on the new last row');
    d.write('clear; stty size\r');
    await d.waitForText(/^39 120$/m, 10_000);
    await d.waitForText(PROMPT);
    assert.match(d.lineAt(-1), CONNECTED);
  });
});

/** The tmux session dies while the link is down (a reboot or `tmux kill-server`), keys typed meanwhile. */
async function killSessionDuringOutage(t: TetherPty): Promise<{ before: string; after: string; flash: string }> {
  const { d, world } = t;
  const before = await shellPid(d, 'PID1');
  world.proxy.inject('refuse');
  world.proxy.inject('reset');
  await waitBar(d, /│ (link down|reconnecting #\d+[^│]*) │/, 'the outage');
  killDemoTmux(world.dir);
  d.write('echo typed-$((20+3))\r');
  await waitBar(d, /│ \d+ keys? held/, 'the held keys');
  world.proxy.heal();
  const flash = (await waitBar(d, FLASH, 'the flash after the restore', 30_000)).input ?? '';
  const after = await shellPid(d, 'PID2');
  return { before, after, flash };
}

test('the tmux session killed during the outage: a new shell, said so, and the held keys are not run in it', { skip }, async () => {
  await withTether({}, async (t) => {
    // tether records the session's identity just after it starts; a real session is older than this pause
    await new Promise((r) => setTimeout(r, 2000));
    const { before, after: afterPid, flash } = await killSessionDuringOutage(t);
    assert.notEqual(afterPid, before, 'a new shell');
    assert.match(flash, /new shell|old one is gone|new (tmux )?session/, 'the user is told');
    assert.doesNotMatch(t.d.screenText(), /^typed-23$/m, 'keys typed for the old shell were not run in the new one');
    await t.d.waitFor(() => t.resets().some((r) => r.update !== true), 20_000, 'the history record');
    assert.equal(t.resets().find((r) => r.update !== true)?.outcome, 'new-session');
  });
});

test(
  'the tmux session killed in the first second of a session is still told apart from the old one',
  { skip },
  async () => {
    await withTether({}, async (t) => {
      const { before, after: afterPid, flash } = await killSessionDuringOutage(t);
      assert.notEqual(afterPid, before);
      assert.match(flash, /new shell|old one is gone|new (tmux )?session/);
      assert.doesNotMatch(t.d.screenText(), /^typed-23$/m);
    });
  },
);
