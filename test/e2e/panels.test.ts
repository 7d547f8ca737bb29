// End-to-end screens of the panels (issue 11): ~s over the outage panel and back, the key that closes a panel not
// typed, and a second outage right after a first (the bar never shows the last outage's line beside the new panel).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { killAllDrivers } from '../helpers/pty-driver.js';
import { built, withTether } from '../helpers/tether-pty.js';

after(killAllDrivers);

const skip = built() ? false : 'dist/ is not built: run `npm run build` first';

test('~s during an outage covers the outage panel cleanly; the closing key is not typed; the panel comes back', { skip }, async () => {
  await withTether({}, async (t) => {
    const { d, world } = t;
    d.write('echo ready-$((6*7))\r');
    await d.waitForText(/^ready-42$/m, 20_000);
    world.proxy.inject('refuse');
    world.proxy.inject('reset');
    await d.waitForText(/The link to 127\.0\.0\.1 is down/, 20_000);
    await d.waitForText(/r {2}retry now {6}~\. {2}quit/, 5000);
    d.write('\r~s');
    await d.waitForText(/last diagnosis/, 10_000);
    assert.doesNotMatch(d.screenText(), /The link to 127\.0\.0\.1 is down/, 'one box at a time');
    d.write('z');
    await d.waitForText(/The link to 127\.0\.0\.1 is down/, 10_000);
    assert.doesNotMatch(d.screenText(), /last diagnosis/);
    world.proxy.heal();
    d.write('echo after-$((6*7))\r');
    await d.waitForText(/^after-42$/m, 30_000);
    assert.doesNotMatch(d.screenText(), /^zecho|^z$/m, 'the key that closed ~s never reached the shell');
  });
});

test('a second outage right after a first: the bar does not keep the first one\'s line beside the new panel', { skip }, async () => {
  await withTether({}, async (t) => {
    const { d, world } = t;
    d.write('echo ready-$((6*7))\r');
    await d.waitForText(/^ready-42$/m, 20_000);
    world.proxy.inject('reset');
    await d.waitFor(() => /^ link down [\d.]+ (ms|s)/.test(d.lineAt(-1)), 30_000, 'the first outage\'s line on the bar');
    world.proxy.inject('refuse');
    world.proxy.inject('reset');
    await d.waitForText(/The link to 127\.0\.0\.1 is down/, 20_000);
    assert.doesNotMatch(d.lineAt(-1), /^ link down [\d.]+ (ms|s)/, `bar: ${d.lineAt(-1)}`);
    world.proxy.heal();
  });
});
