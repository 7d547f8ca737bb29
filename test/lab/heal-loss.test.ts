// A lossy path is no outage: a minute of typing through 5 % packet loss (both ways) records no reset and never leaves
// the first link (TCP's own retransmissions stall it for up to a few hundred ms, now and then for more).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { healCase } from '../helpers/tether-lab-case.js';
import { remoteShellPid, typeLine } from '../helpers/tether-lab.js';
import { sleep } from './index.js';

/** How long the user types through the loss (the bench's detection section runs the long version). */
const TYPING_MS = 60_000;

test('5 % packet loss while typing for a minute: no outage, no reset recorded, the same shell', { timeout: 150_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start }) => {
    const r = await start();
    const before = await remoteShellPid(r, 'before');
    await lab.loss(5);
    const end = Date.now() + TYPING_MS;
    let n = 0;
    // a key every 150 ms, a no-op command line every 20 keys: bash echoes each key, so every key wants an answer
    while (Date.now() < end) {
      r.driver.write(n % 20 === 0 ? '\r: ' : String.fromCharCode(97 + (n % 26)));
      n++;
      await sleep(150);
    }
    await lab.loss(0);
    typeLine(r, '');
    const after = await remoteShellPid(r, 'after');
    await sleep(2000); // a reset is recorded a moment after its restore
    const trace = r.trace();
    const suspects = (trace.match(/-> suspect\b/g) ?? []).length;
    t.diagnostic(`${n} keys typed; ${suspects} suspect verdicts (path checked, link kept)`);
    assert.equal(after, before, 'the same remote shell');
    assert.deepEqual(r.resets(), [], 'no reset recorded');
    assert.doesNotMatch(trace, /-> (down|reconnecting|restoring)\b/, 'the first link was never given up');
  });
});
