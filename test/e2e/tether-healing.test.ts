// End-to-end: the real bin/tether in a pty against the embedded demo server, the link broken by the fault relay.
// What a user sees (the screen through @xterm/headless), what survives a reset, and what is left behind.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { killAllDrivers } from '../helpers/pty-driver.js';
import type { PtyDriver } from '../helpers/pty-driver.js';
import { PROMPT, built, withTether } from '../helpers/tether-pty.js';
import type { TetherPty } from '../helpers/tether-pty.js';

after(killAllDrivers);

const skip = built() ? false : 'dist/ is not built: run `npm run build` first';

/** The bar on the last row while connected: host, state, rtt, keep-alive. */
const CONNECTED_BAR = /^ 127\.0\.0\.1 │ connected │ rtt [\d.]+ ms │.*keep-alive 2 s/;
/** Any connected bar (rtt, last cause and keep-alive share the room left). */
const CONNECTED = /^ 127\.0\.0\.1 │ connected │/;
/** The bar while the link is down or being re-made. */
const OUTAGE_BAR = /^ 127\.0\.0\.1 │ (link down|reconnecting #\d+[^│]*|restoring session) │/;
/** The one-line flash after a restore: how long, and the cause. */
const FLASH = /^ link down [\d.]+ (ms|s|min): ([a-z-]+)/;

function bar(d: PtyDriver): string {
  return d.lineAt(-1);
}

async function waitBar(d: PtyDriver, re: RegExp, what: string, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  await d.waitFor(() => re.test(bar(d)), timeoutMs, `${what} (bar ${re}); bar now: ${JSON.stringify(bar(d))}`);
  return bar(d).match(re) as RegExpMatchArray;
}

/** Breaks the link the way a restarting sshd behind a firewall does: RST on the live link, new connections refused. */
async function breakLink(t: TetherPty): Promise<void> {
  t.world.proxy.inject('refuse');
  t.world.proxy.inject('reset');
  await waitBar(t.d, OUTAGE_BAR, 'the outage in the bar');
}

/** The value printed by `echo NAME=...` the last time. */
function printed(d: PtyDriver, name: string): string | undefined {
  const all = [...d.screenText().matchAll(new RegExp(`^${name}=(\\d+)$`, 'gm'))];
  return all.at(-1)?.[1];
}

test('status bar: connected with host, rtt and keep-alive; down/reconnecting and the panel in an outage; a flash with the cause after', { skip }, async () => {
  await withTether({}, async (t) => {
    const { d } = t;
    await waitBar(d, CONNECTED_BAR, 'the connected bar with an rtt');
    await breakLink(t);
    await d.waitForText(/tether: link down/, 10_000);
    await d.waitForText(/refused/, 10_000);
    assert.match(d.screenText(), /~\.\s+quit/);
    t.world.proxy.heal();
    const flash = await waitBar(d, FLASH, 'the flash after the restore');
    const cause = flash[2] ?? '';
    assert.notEqual(cause, '');
    await waitBar(d, new RegExp(`^ 127\\.0\\.0\\.1 │ connected │.*last: ${cause}`), 'the connected bar naming the last cause');
    assert.doesNotMatch(d.screenText(), /tether: link down/, 'the outage panel is gone');
  });
});

test('the same remote shell after a reset, and keys typed during the outage run after it', { skip }, async () => {
  await withTether({}, async (t) => {
    const { d } = t;
    d.write('echo PID=$$\r');
    await d.waitForText(/^PID=\d+$/m);
    const before = printed(d, 'PID');
    await breakLink(t);
    d.write('echo held-$((6*7))\r');
    await waitBar(d, /│ \d+ keys? held/, 'the held keys in the bar');
    assert.doesNotMatch(d.screenText(), /^held-42$/m, 'nothing ran while the link was down');
    t.world.proxy.heal();
    await d.waitForText(/^held-42$/m, 20_000);
    await waitBar(d, new RegExp(`${CONNECTED.source}|${FLASH.source}`), 'connected again (the bar or the flash)');
    d.write('echo PID2=$$\r');
    await d.waitForText(/^PID2=\d+$/m);
    assert.equal(printed(d, 'PID2'), before, 'the same shell process before and after the reset');
    assert.doesNotMatch(d.screenText(), /new (shell|session)/, 'no new-session notice');
  });
});

test('output produced during the outage is on screen after it', { skip }, async () => {
  await withTether({}, async (t) => {
    const { d, world } = t;
    const marker = join(world.dir, 'during-done');
    d.write(`sleep 3; echo during-$((2+3)); touch ${marker}\r`);
    await d.waitForText(/touch [^\n]*during-done\n/); // echoed by the remote shell: it is running
    await breakLink(t);
    // the command finishes while the link is still down
    await d.waitFor(() => existsSync(marker), 20_000, 'the remote command to finish during the outage');
    assert.doesNotMatch(d.screenText(), /^during-5$/m);
    world.proxy.heal();
    await d.waitForText(/^during-5$/m, 20_000);
    await d.waitForText(PROMPT, 10_000);
  });
});

test('vim opens, edits and writes a file through tether', { skip }, async () => {
  await withTether({}, async ({ d }) => {
    d.write('vim -u NONE -N note.txt\r');
    await d.waitForText(/"note\.txt" \[New( File)?\]/, 15_000);
    assert.match(bar(d), /│ connected │/, 'the bar stays on the last row under vim');
    d.write('ihello from vim\x1b');
    await d.waitForText(/^hello from vim$/m);
    d.write(':wq\r');
    await d.waitForText(PROMPT, 15_000);
    d.write("tr a-z A-Z < note.txt\r"); // shouted back, so the file's text cannot be mistaken for vim's screen
    await d.waitForText(/^HELLO FROM VIM$/m, 10_000);
    assert.match(bar(d), /│ connected │/);
  });
});

test('less pages through a long file and quits back to the shell', { skip }, async () => {
  await withTether({}, async ({ d }) => {
    d.write('seq 1 500 > long.txt; clear; less long.txt\r');
    await d.waitFor(() => d.lineAt(0) === '1' && d.lineAt(1) === '2', 15_000, 'less showing the first page');
    assert.match(bar(d), /│ connected │/, 'the bar stays below less');
    d.write(' ');
    await d.waitFor(() => /^\d+$/.test(d.lineAt(0)) && Number(d.lineAt(0)) > 15, 10_000, 'the next page');
    d.write('G');
    await d.waitForText(/^500$/m, 10_000);
    await d.waitForText(/\(END\)/, 10_000);
    d.write('q');
    await d.waitForText(PROMPT, 10_000);
    assert.match(bar(d), /│ connected │/);
  });
});

test('~. ends tether with status 255 and leaves the local terminal as it was', { skip }, async () => {
  await withTether({}, async (t) => {
    const { d } = t;
    await waitBar(d, CONNECTED_BAR, 'connected');
    d.write('\r~.');
    await d.waitForText(/stty-saved/, 20_000);
    assert.match(d.screenText(), /tether-exit=255/);
    const { before, after: afterText } = t.stty();
    assert.equal(afterText, before);
  });
});

test('~. while the link is down ends tether at once with status 255, the terminal restored', { skip }, async () => {
  await withTether({}, async (t) => {
    const { d } = t;
    await breakLink(t);
    await d.waitForText(/tether: link down/, 10_000);
    d.write('~.');
    await d.waitForText(/stty-saved/, 20_000);
    assert.match(d.screenText(), /tether-exit=255/);
    const { before, after: afterText } = t.stty();
    assert.equal(afterText, before);
  });
});

test('a reset is written to the history with outcome restored and a cause', { skip }, async () => {
  await withTether({}, async (t) => {
    const { d, world } = t;
    await waitBar(d, CONNECTED_BAR, 'connected');
    world.proxy.inject('reset');
    const flash = await waitBar(d, FLASH, 'the flash after the restore');
    d.write('\r~.');
    await d.waitForText(/stty-saved/, 20_000);
    const records = t.resets().filter((r) => r.update !== true);
    assert.equal(records.length, 1, JSON.stringify(t.resets()));
    const r = records[0] ?? {};
    assert.equal(r.outcome, 'restored');
    assert.equal(r.host, '127.0.0.1');
    assert.equal(r.port, world.proxy.port);
    assert.equal(r.user, 'demo');
    assert.equal(r.cause, flash[2]);
    assert.equal(typeof r.downtimeMs, 'number');
    assert.ok(Array.isArray(r.evidence) && r.evidence.length > 0, 'evidence recorded');
    assert.ok(Array.isArray(r.advice), 'advice recorded');
  });
});
