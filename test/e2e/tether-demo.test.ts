// End-to-end: `tether demo` in a pty: the one-line intro, a healed break explained in the bar, ~. to quit, and
// nothing left behind (temp dir, the demo's tmux server, the local terminal's modes).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PtyDriver, killAllDrivers } from '../helpers/pty-driver.js';
import { PROMPT, ROOT, TETHER_BIN, built, q } from '../helpers/tether-pty.js';

after(killAllDrivers);

const skip = built() ? false : 'dist/ is not built: run `npm run build` first';

/** PIDs of processes whose working directory is inside `dir` (the demo's shells and tmux server live there). */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`).startsWith(dir)) pids.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** A process's command line, for the report. */
function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').slice(0, 200);
  } catch {
    return '(gone)';
  }
}

test('tether demo: the intro line, a break healed and explained, ~. quits, nothing left behind', { skip }, async () => {
  // the demo's temp dir goes under a TMPDIR of our own, so what it leaves behind is visible
  const work = mkdtempSync(join(tmpdir(), 'tether-e2e-demo-'));
  const tmp = join(work, 'tmp');
  mkdirSync(tmp);
  // this test reads the bar while the link is healthy: pinned (users get it only while it has something to say)
  mkdirSync(join(work, 'config', 'tether'), { recursive: true });
  writeFileSync(join(work, 'config', 'tether', 'config.json'), JSON.stringify({ pinBar: true }));
  const before = join(work, 'stty-before');
  const afterFile = join(work, 'stty-after');
  const demo = [process.execPath, TETHER_BIN, 'demo', '--every', '3'].map(q).join(' ');
  const d = new PtyDriver('/bin/sh', ['-c', `stty -a > ${q(before)}; ${demo}; echo "demo-exit=$?"; stty -a > ${q(afterFile)}; echo stty-saved`], {
    cwd: ROOT,
    // the demo's resets go to the user's history: a state dir of our own; the bar pinned (this test reads it)
    env: { TMPDIR: tmp, XDG_STATE_HOME: join(work, 'state'), XDG_CONFIG_HOME: join(work, 'config') },
  });
  try {
    // the intro line comes before tether takes the screen (tmux then draws over it): read it from the raw output
    const intro = /tether demo: an embedded SSH server on 127\.0\.0\.1:\d+; the link will break every 3 s; type ~\. to quit\r?\n/;
    await d.waitFor(() => intro.test(d.output()), 20_000, 'the intro line');
    await d.waitForText(PROMPT, 30_000);
    assert.match(d.lineAt(-1), /^ tether-demo │ connected │/);
    // the first break is a firewall reset: the bar flashes how long the link was down and why
    await d.waitFor(() => /^ link down [\d.]+ (ms|s): [a-z-]+/.test(d.lineAt(-1)), 30_000, 'the flash after the first break');
    d.write('echo still-$((40+2))\r');
    await d.waitForText(/^still-42$/m, 30_000);
    d.write('\r~.');
    await d.waitForText(/stty-saved/, 30_000);
    assert.match(d.screenText(), /demo-exit=255/);
    assert.match(d.screenText(), /tether demo: [1-9]\d* fault\(s\) injected, [1-9]\d* reset\(s\) recorded/);
    assert.match(d.screenText(), /→ tether: [a-z-]+, (back in|the old link came back)/, "each fault paired with tether's diagnosis");
    assert.equal(readFileSync(afterFile, 'utf8'), readFileSync(before, 'utf8'), 'terminal modes restored');
    assert.deepEqual(readdirSync(tmp), [], 'the demo removed its temp dir');
    const left = processesIn(tmp).map((pid) => `${pid}: ${cmdline(pid)}`);
    assert.deepEqual(left, [], 'no demo process (shell, tmux server) is left');
  } finally {
    d.kill();
    for (const pid of processesIn(tmp)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(work, { recursive: true, force: true });
  }
});
