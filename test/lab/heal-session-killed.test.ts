// The real tether heals when its sshd session process is killed (tmux survives): same shell, held keys, the outage's output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DURING_CMD, assertSameShell, firstReset, healCase, logCause, pauseSshdMaster, resumeSshdMaster, typeHeldKeys } from '../helpers/tether-lab-case.js';
import { remoteShellPid, typeLine } from '../helpers/tether-lab.js';

test('session process killed: reattached to the same shell; cause session-killed', { timeout: 90_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start }) => {
    const r = await start();
    const before = await remoteShellPid(r, 'before');
    typeLine(r, DURING_CMD);
    // the master paused: the reconnect waits in its backlog, so the outage lasts until it resumes
    const master = pauseSshdMaster(lab);
    try {
      await lab.killSession();
      assert.ok(await typeHeldKeys(r, 15_000), 'the keys were typed while tether was down');
      await new Promise((res) => setTimeout(res, 3500));
    } finally {
      resumeSshdMaster(master);
    }
    await assertSameShell(r, before, { during: true, healMs: 30_000 });
    const rec = await firstReset(r);
    logCause(t, 'session-killed', rec);
    assert.equal(rec.cause, 'session-killed', rec.evidence.join('\n'));
  });
});
