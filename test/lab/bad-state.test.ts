// tether's own files on bad ground in a real session against the real sshd: the history on a full disk while a
// reset is recorded, and state/settings files that are a symlink, another user's, cut short or wrongly typed at
// start. Each costs one line of warning; the session keeps working and heals; nothing else is lost.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { healCase } from '../helpers/tether-lab-case.js';
import { remoteShellPid, shortTcpRetries, typeLine, waitForOutage, waitForResets, waitForRestore } from '../helpers/tether-lab.js';
import type { TetherRun } from '../helpers/tether-lab.js';
import type { Lab } from './index.js';

/** Breaks the link (session killed while the port resets), waits for the outage, lets tether back in. */
async function oneReset(lab: Lab, r: TetherRun): Promise<void> {
  const since = r.trace().length;
  await lab.blockPort('rst');
  await lab.killSession();
  await waitForOutage(r, 30_000, since);
  await lab.unblockPort();
  await waitForRestore(r, 45_000, since);
}

test('the history on a full disk: one warning, the same shell goes on, records resume once there is room', { timeout: 150_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start, scratch }) => {
    await shortTcpRetries(lab);
    const stateHome = scratch('fullstate');
    const small = join(stateHome, 'tether');
    mkdirSync(small);
    // only tether's state directory is on the small disk (the test's trace file stays beside it)
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tether-lab-full', small]);
    try {
      const r = await start({ stateHome });
      const before = await remoteShellPid(r, 'before');
      const filler = join(small, 'filler');
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k', 'count=256'], { stdio: 'ignore' });
      } catch {
        // dd ends with ENOSPC: the disk is full, as wanted
      }
      await oneReset(lab, r);
      await r.driver.waitFor(() => /could not write the reset history/.test(r.driver.output()), 15_000, 'the warning about the history');
      const warnings = r.driver.output().match(/could not write the reset history[^\r\n]*/g) ?? [];
      assert.equal(warnings.length, 1, `one warning line: ${warnings.join(' | ')}`);
      assert.match(warnings[0] ?? '', /ENOSPC|no space|short write/i);
      assert.equal(await remoteShellPid(r, 'after'), before, 'the same shell after the reset');
      rmSync(filler);
      await oneReset(lab, r);
      const recs = await waitForResets(r, 1, 20_000);
      assert.equal(recs.length, 1, 'the reset after the disk had room again is recorded');
      assert.equal(await remoteShellPid(r, 'later'), before);
    } finally {
      execFileSync('umount', ['-l', small]);
    }
  });
});

test("state files that are a symlink, another user's, cut short or wrongly typed: warnings, then a normal healing session", { timeout: 120_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start, scratch }) => {
    await shortTcpRetries(lab);
    const stateHome = scratch('badstate');
    const configHome = scratch('badconfig');
    const dir = join(stateHome, 'tether');
    mkdirSync(dir, { mode: 0o700 });
    const target = join(scratch('elsewhere'), 'hosts.json');
    writeFileSync(target, '{"hosts":{}}\n', { mode: 0o644 });
    symlinkSync(target, join(dir, 'hosts.json'));
    const history = join(dir, 'resets.jsonl');
    writeFileSync(history, 'kept\n', { mode: 0o600 });
    chownSync(history, 65534, 65534);
    mkdirSync(join(configHome, 'tether'), { mode: 0o700 });
    writeFileSync(join(configHome, 'tether', 'config.json'), '{"statusBar": "maybe"}', { mode: 0o600 });
    const r = await start({ stateHome, configHome });
    const out = r.driver.output();
    assert.match(out, /config\.json: .*statusBar/, 'the settings file named, with the setting');
    assert.match(out, /learned host state unavailable: .*hosts\.json: is a symbolic link/);
    const before = await remoteShellPid(r, 'before');
    await oneReset(lab, r);
    await r.driver.waitFor(() => /could not write the reset history/.test(r.driver.output()), 15_000, 'the warning about the history');
    assert.match(r.driver.output(), /resets\.jsonl: belongs to uid 65534/);
    assert.equal(await remoteShellPid(r, 'after'), before, 'the same shell after the reset');
    typeLine(r, 'echo still-$((40+2))');
    await r.driver.waitForText(/still-42/, 10_000);
    assert.equal(readFileSync(target, 'utf8'), '{"hosts":{}}\n', "the symlink's target untouched");
    assert.equal(readFileSync(history, 'utf8'), 'kept\n', "the other user's history untouched");
  });
});
