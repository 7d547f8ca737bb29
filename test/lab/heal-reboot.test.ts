// The real tether after a server reboot: the tmux session is gone, so a new session and a clear notice; cause 'reboot'.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCause, firstReset, healCase, logCause } from '../helpers/tether-lab-case.js';
import { remoteShellPid, waitForOutage, waitForRestore } from '../helpers/tether-lab.js';

test('reboot: a new session with a notice on screen; cause reboot', { timeout: 90_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start }) => {
    const r = await start();
    const before = await remoteShellPid(r, 'before');
    const bootBefore = lab.bootId;
    // the notice is a status-bar flash, replaced by the next one: watch the screen from the start
    const notice = r.driver.waitForText(/the old (shell|remote session|one) is gone/, 60_000);
    const bootAfter = await lab.reboot();
    assert.notEqual(bootAfter, bootBefore);
    await waitForOutage(r, 20_000);
    await waitForRestore(r, 30_000);
    await notice;
    const after = await remoteShellPid(r, 'after');
    assert.notEqual(after, before, 'a new shell after the reboot');
    const rec = await firstReset(r);
    logCause(t, 'reboot', rec);
    assert.equal(rec.outcome, 'new-session');
    assertCause(rec, 'reboot', 'reboot', 'high');
  });
});
