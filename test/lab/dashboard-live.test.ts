// `tether dashboard` in a real Chromium, watching a real tether in the fault lab (real sshd and tmux behind a
// stateful firewall): the session shows connected, the firewall's RST block shows as its outage, and after the heal
// the new reset (cause firewall, from tether's own history line) is in the table and its detail, without a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { CHROMIUM, launchChromium, startDashboard } from '../helpers/dashboard.js';
import { healCase } from '../helpers/tether-lab-case.js';
import { shortTcpRetries, typeLine, waitForOutage, waitForResets } from '../helpers/tether-lab.js';
import { built } from '../helpers/tether-pty.js';

const skip = !built() ? 'dist/ is not built: run `npm run build` first' : !existsSync(CHROMIUM) ? `${CHROMIUM} is not installed` : false;

test('the dashboard shows a lab tether live: connected, its firewall outage, then its new reset without a reload', { skip, timeout: 180_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start }) => {
    await shortTcpRetries(lab);
    const r = await start();
    const dash = await startDashboard(r.stateHome);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(dash.url);
      const card = '.session[data-host="198.18.2.2"]';
      await page.waitForSelector(`${card}[data-state="connected"]`, { timeout: 20_000 });
      await page.evaluate('window.marker = 7');
      assert.match((await page.textContent(`${card} [data-fact="keep-alive"]`)) ?? '', /^\d+(\.\d)? s$/);

      await lab.blockPort('rst');
      typeLine(r, '');
      await waitForOutage(r, 30_000);
      await page.waitForSelector(`${card}:is([data-state="down"], [data-state="reconnecting"])`, { timeout: 10_000 });
      await page.waitForSelector(`${card} .outage:text-matches("^outage \\\\d\\\\d:\\\\d\\\\d")`);
      await new Promise((res) => setTimeout(res, 1500));
      await lab.unblockPort();
      const [rec] = await waitForResets(r, 1, 45_000);
      await page.waitForSelector(`${card}[data-state="connected"]`, { timeout: 30_000 });
      await page.waitForSelector('#history[data-rows="1"]', { timeout: 20_000 });
      assert.equal(rec?.cause, 'firewall');
      assert.equal((await page.textContent(`${card} [data-fact="resets"]`)) ?? '', '1 (last: firewall)');
      await page.click('#resets tbody tr:first-child');
      await page.waitForSelector('#detail:not([hidden])');
      assert.match((await page.textContent('#detail')) ?? '', /firewall/);
      assert.equal(await page.evaluate('window.marker'), 7, 'the same page, not reloaded');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await dash.stop();
    }
  });
});
