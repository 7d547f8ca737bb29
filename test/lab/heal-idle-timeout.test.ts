// The real tether against a firewall idle timeout (DROP and RST): the default 25 s keep-alive loses to an 8 s limit,
// tether heals into the same shell and records 'idle-timeout'; a second run on the same host (same XDG_STATE_HOME)
// uses what tether learned (the reset's silence, then its background measurement) and sees no reset for a silence
// longer than the limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCause, assertSameShell, firstReset, healCase, logCause, slowLogins, typeHeldKeys } from '../helpers/tether-lab-case.js';
import { failureReport, quietTmux, readHostState, remoteShellPid, shortTcpRetries, typeLine } from '../helpers/tether-lab.js';
import { sleep, waitUntil } from './index.js';

/** The firewall's idle limit, well under tether's default keep-alive (25 s). */
const LIMIT_S = 8;

/** The learned per-host state of the lab host (hosts.json), zeros when absent. */
function learnedIdle(stateHome: string): { idleSurvivedMs: number; keepaliveMs: number } {
  const text = readHostState(stateHome);
  const hosts = text === '' ? {} : ((JSON.parse(text) as { hosts?: Record<string, { idleSurvivedMs?: number; keepaliveMs?: number }> }).hosts ?? {});
  const h = Object.values(hosts)[0] ?? {};
  return { idleSurvivedMs: h.idleSurvivedMs ?? 0, keepaliveMs: h.keepaliveMs ?? 0 };
}

for (const mode of ['drop', 'rst'] as const) {
  test(`idle timeout (${mode.toUpperCase()}, ${LIMIT_S} s): same shell after the heal; cause idle-timeout`, { timeout: 150_000 }, async (t) => {
    await healCase(t, {}, async ({ lab, start }) => {
      quietTmux(lab); // no tmux status clock: the idle session is truly silent
      const loginDelay = await slowLogins(lab);
      await lab.idleTimeout(LIMIT_S, mode);
      await shortTcpRetries(lab);
      const r = await start();
      const before = await remoteShellPid(r, 'before');
      // slow logins from now on: the reconnect takes seconds, so the held keys are typed in the outage
      loginDelay(4);
      const held = await typeHeldKeys(r, 60_000);
      loginDelay(0);
      await assertSameShell(r, before, { during: false, healMs: 30_000 });
      assert.ok(held, 'the held keys were typed before the restore');
      const rec = await firstReset(r);
      logCause(t, `idle timeout ${mode.toUpperCase()}`, rec);
      const learned = readHostState(r.stateHome).replace(/\s+/g, ' ');
      t.diagnostic(`learned host state: ${learned}`);
      assertCause(rec, `idle timeout ${mode.toUpperCase()}`, 'idle-timeout', 'high');
      if (mode !== 'rst') return;

      await t.test(`second run on the same host: no reset after ${1.5 * LIMIT_S} s of silence`, async () => {
        // tether measures the limit in the background after an idle-timeout (sacrificial idle connections, one
        // round lasts about the longest wait): give it that time, then start over from what it stored
        const measured = await waitUntil(() => learnedIdle(r.stateHome).idleSurvivedMs > 0, 'the idle limit measured', 60_000, 500).catch(() => false);
        t.diagnostic(`after the background measurement (${measured ? 'done' : 'not done in 60 s'}): ${readHostState(r.stateHome).replace(/\s+/g, ' ')}`);
        r.kill();
        const r2 = await start({ stateHome: r.stateHome, configHome: r.configHome });
        try {
          const pid2 = await remoteShellPid(r2, 'second');
          await sleep(1.5 * LIMIT_S * 1000);
          // the first packet after the silence tells: the shell answers, or the link was dead (a new reset record)
          typeLine(r2, 'echo PID-idle=$$');
          await waitUntil(() => /PID-idle=\d/.test(r2.driver.screenText()) || r2.resets().length > 1, 'an answer or a reset', 30_000, 200);
          await sleep(2000); // a reset is recorded a moment after its restore
          assert.equal(r2.resets().length, 1, `no new reset record; learned before the run: ${learned}`);
          assert.doesNotMatch(r2.trace(), /-> (suspect|down|reconnecting)\b/, 'the second run never lost the link');
          assert.equal(Number(/PID-idle=(\d+)/.exec(r2.driver.screenText())?.[1]), pid2, 'the same shell after the silence');
        } catch (err) {
          if (err instanceof Error) err.message = `${err.message}\n${failureReport(lab, r2)}`;
          throw err;
        }
      });
    });
  });
}
