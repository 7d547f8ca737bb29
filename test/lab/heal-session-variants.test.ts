// Variants of a killed session (the master and the boot stay, tmux survives): only the unprivileged session child
// killed, and every per-connection sshd killed while keys were in flight (the kernel answers with a RST, not EOF).
// Each lands on session-killed, with the confidence band the calibration table (src/diagnosis/calibration.test.ts) gives.
// The shell itself killed ends the session (tmux closes with it): not a reset, nothing recorded.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertCause, firstReset, healCase, logCause } from '../helpers/tether-lab-case.js';
import type { Band } from '../helpers/tether-lab-case.js';
import { remoteShellPid, typeLine, waitForRestore } from '../helpers/tether-lab.js';
import type { Lab } from './index.js';

/** The parent pid of a process (the lab's namespaces share our pid namespace). */
function ppid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

interface Variant {
  readonly name: string;
  /** Kills what the variant kills; `typeKeys` sends keystrokes into the link. */
  readonly kill: (lab: Lab, typeKeys: () => void) => Promise<void>;
  readonly trigger: RegExp;
  readonly band: Band;
}

const VARIANTS: Variant[] = [
  {
    name: 'only the session child killed',
    kill: async (lab) => {
      const pids = lab.sessionPids();
      // the unprivileged child: its parent is the privileged monitor, itself a per-connection sshd
      const children = pids.filter((p) => pids.includes(ppid(p) ?? -1));
      assert.ok(children.length > 0, `a session child among ${pids.join(' ')}`);
      for (const p of children) await lab.killSession(p);
    },
    trigger: /^EOF$/,
    band: 'high',
  },
  {
    name: 'every per-connection sshd killed with keys in flight',
    kill: async (lab, typeKeys) => {
      const pids = await lab.killSession(undefined, 'SIGSTOP');
      typeKeys(); // unread bytes in the stopped sshd's socket: the kill makes the kernel answer with a RST
      await new Promise((r) => setTimeout(r, 300));
      for (const p of pids) await lab.killSession(p, 'SIGKILL');
    },
    trigger: /^(ECONNRESET|EOF)$/,
    band: 'medium',
  },
];

for (const v of VARIANTS) {
  test(`${v.name}: the same shell after the reconnect; cause session-killed`, { timeout: 90_000 }, async (t) => {
    await healCase(t, {}, async ({ lab, start }) => {
      const r = await start();
      const before = await remoteShellPid(r, 'before');
      const since = r.trace().length;
      await v.kill(lab, () => typeLine(r, 'echo in-flight'));
      typeLine(r, '');
      await waitForRestore(r, 30_000, since);
      assert.equal(await remoteShellPid(r, 'after'), before, 'the same remote shell (tmux survived)');
      const rec = await firstReset(r);
      logCause(t, v.name, rec);
      assert.match(rec.trigger, v.trigger);
      // a RST and an EOF are both what this kill can look like; the band follows the trigger seen
      const band = rec.trigger === 'EOF' ? 'high' : v.band;
      assertCause(rec, v.name, 'session-killed', band);
    });
  });
}

test('the shell killed inside tmux: the session is over (as under ssh + tmux), no reset is recorded', { timeout: 90_000 }, async (t) => {
  await healCase(t, {}, async ({ start }) => {
    const r = await start();
    const shell = await remoteShellPid(r, 'before');
    process.kill(shell, 'SIGKILL'); // the lab's namespaces share our pid namespace
    await r.driver.waitFor(() => /Connection to \S+ closed\./.test(r.driver.output()), 20_000, 'tether to end with the session');
    await new Promise((res) => setTimeout(res, 1000));
    assert.deepEqual(r.resets(), [], 'a shell that ended is not a broken link');
  });
});
