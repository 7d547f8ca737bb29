// The real tether frozen (cgroup freezer, like a sleeping laptop) longer than sshd's ClientAlive limit: after the thaw it
// notices, heals into the same shell and records 'client-suspend'.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DURING_CMD, assertCause, assertSameShell, firstReset, healCase, logCause, slowLogins, typeHeldKeys } from '../helpers/tether-lab-case.js';
import { remoteShellPid, typeLine } from '../helpers/tether-lab.js';
import { waitUntil } from './index.js';

test('client suspended past ClientAliveInterval×CountMax: same shell after the thaw; cause client-suspend', { timeout: 90_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start }) => {
    // sshd drops the silent client about 6 s into the freeze (11 s with an interval of 2 s): the freeze stays well under
    // the 15 s at which the rule weighs a late timer as long as an idle timeout (high), which a loaded CI run reached
    const loginDelay = await slowLogins(lab, ['ClientAliveInterval 1', 'ClientAliveCountMax 2']);
    const r = await start();
    const before = await remoteShellPid(r, 'before');
    typeLine(r, DURING_CMD);
    await r.driver.waitForText(/sleep 3; echo during/, 10_000);
    const sessions = lab.sessionPids();
    await lab.freeze(r.pid);
    const f0 = Date.now();
    assert.equal(lab.freezerState(r.pid), 'FROZEN');
    // sshd gives up on the silent client; wait until its session processes are gone, then a bit more
    await waitUntil(() => sessions.every((p) => !lab.sessionPids().includes(p)), 'sshd to drop the frozen client', 20_000, 200);
    t.diagnostic(`sshd dropped the frozen client's session ${Date.now() - f0} ms into the freeze`);
    await new Promise((res) => setTimeout(res, 2000));
    // slow logins: the reconnect after the thaw takes seconds, so the held keys are typed during the outage
    loginDelay(4);
    lab.thaw(r.pid);
    const held = await typeHeldKeys(r, 15_000);
    loginDelay(0);
    await assertSameShell(r, before, { during: true, healMs: 30_000 });
    assert.ok(held, 'the held keys were typed before the restore');
    const rec = await firstReset(r);
    logCause(t, 'client suspend', rec);
    assert.equal(rec.outcome, 'restored');
    // a late timer alone (no wall-clock jump: a frozen process, not a sleeping machine): medium
    assertCause(rec, 'client frozen', 'client-suspend', 'medium');
  });
});
