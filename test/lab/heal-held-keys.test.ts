// Keys typed in the middle of an outage run exactly once after the heal: an 8 s firewall block with TCP resets on
// port 22 and a 10 s local link down, each with a line typed 4 s in (both lost keys in earlier versions).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Lab } from '../lab/index.js';
import { countLines, healCase } from '../helpers/tether-lab-case.js';
import { remoteShellPid, shortTcpRetries, typeLine, waitForOutage, waitForRestore } from '../helpers/tether-lab.js';

async function typedMidOutage(t: test.TestContext, fault: { apply: (lab: Lab) => Promise<void>; undo: (lab: Lab) => Promise<void>; ms: number }): Promise<void> {
  await healCase(t, {}, async ({ lab, start }) => {
    await shortTcpRetries(lab);
    const r = await start();
    const pid = await remoteShellPid(r, 'before');
    const since = r.trace().length;
    await fault.apply(lab);
    typeLine(r, ''); // typing into the broken link makes tether look
    await waitForOutage(r, 15_000, since);
    await new Promise((res) => setTimeout(res, 4000));
    typeLine(r, 'echo mid-$((6*7))-outage');
    await new Promise((res) => setTimeout(res, fault.ms - 4000));
    await fault.undo(lab);
    await waitForRestore(r, 30_000, since);
    await r.driver.waitForText(/^mid-42-outage$/m, 20_000);
    assert.equal(await remoteShellPid(r, 'after'), pid, 'the same shell');
    assert.equal(countLines(r, /mid-42-outage/), 1, 'the line typed mid-outage ran exactly once');
  });
}

test('8 s firewall block (TCP reset on port 22): a line typed 4 s in runs exactly once', { timeout: 120_000 }, async (t) => {
  await typedMidOutage(t, { apply: (lab) => lab.blockPort('rst'), undo: (lab) => lab.unblockPort(), ms: 8000 });
});

test('10 s local link down: a line typed 4 s in runs exactly once', { timeout: 120_000 }, async (t) => {
  await typedMidOutage(t, { apply: (lab) => lab.linkDown(), undo: (lab) => lab.linkUp(), ms: 10_000 });
});
