// End-to-end: the panels of the real healing session on a real screen model (issue 11's "one source of truth"):
// the MaxStartups outage panel whole inside its border, `~s` over the outage panel and the key that closes it,
// and a second outage right after a first (the bar never shows the first one's line under the second's panel;
// the flash, the panel and the history record agree on the duration).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { killAllDrivers } from '../helpers/pty-driver.js';
import type { PtyDriver } from '../helpers/pty-driver.js';
import { built, withTether } from '../helpers/tether-pty.js';
import { secs } from '../../src/heal/reset-recorder.js';

after(killAllDrivers);

const skip = built() ? false : 'dist/ is not built: run `npm run build` first';

const CONNECTED = /^ 127\.0\.0\.1 │ connected │/;
const FLASH = /^ link down ([\d.]+ (?:ms|s|min)): ([a-z-]+)/;
const DOWN = /│ (link down|reconnecting #\d+[^│]*) │/;

async function waitBar(d: PtyDriver, re: RegExp, what: string, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  await d.waitFor(() => re.test(d.lineAt(-1)), timeoutMs, `${what} (bar ${re}); bar now: ${JSON.stringify(d.lineAt(-1))}`);
  return d.lineAt(-1).match(re) as RegExpMatchArray;
}

/** The rows of the bordered panel on screen (top border to bottom border), or [] when none is shown. */
function panelRows(d: PtyDriver): string[] {
  const rows = d.screenText().split('\n');
  const top = rows.findIndex((r) => /┌.*┐/.test(r));
  if (top < 0) return [];
  const bottom = rows.findIndex((r, i) => i > top && /└.*┘/.test(r));
  return bottom < 0 ? [] : rows.slice(top, bottom + 1);
}

/** Asserts that every row between the borders is framed at the border's own columns (nothing spills or is cut). */
function assertWhole(rows: string[]): void {
  const first = rows[0] ?? '';
  const left = first.indexOf('┌');
  const right = first.indexOf('┐');
  for (const r of rows.slice(1, -1)) {
    assert.equal(r[left], '│', `left border of ${JSON.stringify(r)}`);
    assert.equal(r[right], '│', `right border of ${JSON.stringify(r)}`);
  }
  assert.equal((rows.at(-1) ?? '').indexOf('└'), left);
}

test('the MaxStartups panel: the whole text inside its border, the retry and quit row there', { skip }, async () => {
  await withTether({}, async ({ d, world }) => {
    world.proxy.inject('close-before-banner');
    world.proxy.inject('reset');
    await waitBar(d, DOWN, 'the outage');
    await d.waitFor(() => panelRows(d).some((r) => /Last error: /.test(r)), 15_000, 'the panel with the last error');
    // the text changes with each attempt (its error, its count, the countdown): the box must stay whole through them
    const until = Date.now() + 6000;
    let rows = panelRows(d);
    while (Date.now() < until) {
      rows = panelRows(d);
      assert.ok(rows.length > 2, `the panel stays up: ${d.screenText()}`);
      assertWhole(rows);
      await new Promise((r) => setTimeout(r, 100));
    }
    const text = rows.join('\n');
    assert.match(text, /The link to 127\.0\.0\.1 is down/);
    assert.match(text, /r {2}retry now {6}~\. {2}quit/, text);
    world.proxy.heal();
    await waitBar(d, FLASH, 'the flash after the restore', 30_000);
    assert.deepEqual(panelRows(d), [], 'the panel is gone');
  });
});

test('~s over the outage panel: its own box, the key that closes it is not typed, the outage panel comes back', { skip }, async () => {
  await withTether({}, async ({ d, world }) => {
    world.proxy.inject('refuse');
    world.proxy.inject('reset');
    await waitBar(d, DOWN, 'the outage');
    await d.waitFor(() => panelRows(d).some((r) => /The link to/.test(r)), 15_000, 'the outage panel');
    d.write('~s');
    await d.waitFor(() => !panelRows(d).some((r) => /The link to/.test(r)) && panelRows(d).length > 2, 10_000, 'the ~s box in place of the outage panel');
    const box = panelRows(d);
    assertWhole(box);
    assert.doesNotMatch(d.screenText(), /The link to 127\.0\.0\.1 is down/, 'one panel at a time');
    d.write('q');
    await d.waitFor(() => panelRows(d).some((r) => /The link to/.test(r)), 10_000, 'the outage panel back');
    assertWhole(panelRows(d));
    world.proxy.heal();
    await waitBar(d, new RegExp(`${CONNECTED.source}|${FLASH.source}`), 'back', 30_000);
    d.write('echo after-$((40+2))\r');
    await d.waitForText(/^after-42$/m, 15_000);
    assert.doesNotMatch(d.screenText(), /qecho|command not found/, 'the closing key was not typed into the shell');
  });
});

test('a second outage right after a first: its own panel and bar, and the same duration in the flash and the history', { skip }, async () => {
  await withTether({}, async (t) => {
    const { d, world } = t;
    world.proxy.inject('refuse');
    world.proxy.inject('reset');
    await waitBar(d, DOWN, 'the first outage');
    await new Promise((r) => setTimeout(r, 1500));
    world.proxy.heal();
    const first = await waitBar(d, FLASH, 'the flash after the first restore', 30_000);
    // at once, while the first one's line is on the bar
    world.proxy.inject('refuse');
    world.proxy.inject('reset');
    await waitBar(d, DOWN, 'the second outage');
    let seenPanel = false;
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      const bar = d.lineAt(-1);
      const panel = panelRows(d).join('\n');
      if (/The link to/.test(panel)) {
        seenPanel = true;
        assert.doesNotMatch(bar, FLASH, `the first outage's line under the second's panel: ${bar}`);
        assert.match(bar, DOWN, `the bar says the link is down while the panel does: ${bar}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(seenPanel, 'the second outage has its panel');
    world.proxy.heal();
    const second = await waitBar(d, FLASH, 'the flash after the second restore', 30_000);
    await d.waitFor(() => t.resets().filter((r) => r.update !== true).length >= 2, 20_000, 'two history records');
    const recs = t.resets().filter((r) => r.update !== true);
    const shown = [first[1], second[1]];
    for (const [i, rec] of recs.slice(0, 2).entries()) {
      assert.equal(secs(Number(rec.downtimeMs)), shown[i], `record ${i + 1}'s downtime is the flash's (${JSON.stringify(rec.downtimeMs)})`);
    }
  });
});
