// A man in the middle on reconnect, against the real sshd: after the first connection the server at the same address
// answers with another host key: a different sshd (new keys), or a key that known_hosts itself would now accept
// (written there after the first connection, or known_hosts emptied under accept-new). tether must never
// authenticate to it (sshd logs no auth attempt: the connection ends in key exchange), never send it a keystroke
// typed during the outage, stop with OpenSSH's warning and exit 255, and record host-key-changed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { healCase, logCause } from '../helpers/tether-lab-case.js';
import { remoteShellPid, shortTcpRetries, typeLine, waitForOutage, waitForResets } from '../helpers/tether-lab.js';
import type { TetherRun } from '../helpers/tether-lab.js';
import type { Lab } from './index.js';

/** sshd log lines that mean a client tried to log in (VERBOSE level): none may follow the swap. */
const AUTH_LINES = /Accepted |Failed |Postponed |Invalid user|authentication|userauth|Partial publickey/i;

/** After the swap: tether stopped with the warning, exit 255, sshd saw no login attempt, the history says so. */
async function assertRefusedBeforeAuth(t: TestContext, lab: Lab, r: TetherRun, logMark: number): Promise<void> {
  const exit = await r.driver.waitForExit(45_000);
  assert.equal(exit.code, 255, 'exit status 255');
  await new Promise((res) => setTimeout(res, 300)); // the pty's last bytes may arrive after its exit event
  assert.match(r.driver.output(), /REMOTE HOST IDENTIFICATION HAS CHANGED/, "OpenSSH's warning on the terminal");
  const log = lab.sshdLog().slice(logMark);
  assert.match(log, new RegExp(`Connection from ${lab.clientAddr.replace(/\./g, '\\.')}`), `tether reached the new sshd:\n${log}`);
  assert.doesNotMatch(log, AUTH_LINES, `no authentication attempt after the swap:\n${log}`);
  // SSH_DISCONNECT_HOST_KEY_NOT_VERIFIABLE (3) before authentication: tether hung up right after the key exchange
  assert.match(log, /Received disconnect from .*:3:.*\[preauth\]/, `tether ended the connection in key exchange:\n${log}`);
  t.diagnostic(`sshd after the swap: ${log.trim().split('\n').join(' | ')}`);
  const recs = await waitForResets(r, 1, 5000);
  const rec = recs[0];
  logCause(t, 'host key swapped', rec);
  assert.equal(rec?.cause, 'host-key-changed');
  assert.equal(rec?.outcome, 'refused');
  assert.equal((r.trace().match(/"type":"attempt-failed"/g) ?? []).length >= 1, true);
}

test('a different sshd with another host key at the same address: no auth, no held keystroke, exit 255', { timeout: 120_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start }) => {
    await shortTcpRetries(lab);
    const r = await start();
    await remoteShellPid(r, 'before');
    const marker = `mitm-held-${randomBytes(4).toString('hex')}`;
    await lab.blockPort('rst');
    await lab.killSession();
    await waitForOutage(r, 30_000);
    // typed while the link is down: held for the next link, which must never get it
    typeLine(r, `touch ~/${marker}; echo ${marker}`);
    await lab.changeHostKey();
    const logMark = lab.sshdLog().length;
    await lab.unblockPort();
    await assertRefusedBeforeAuth(t, lab, r, logMark);
    await new Promise((res) => setTimeout(res, 1000));
    assert.equal(existsSync(join(lab.server.paths.home, marker)), false, 'the held keystrokes never ran on the server');
  });
});

/** The known_hosts edits after the first connection that would make ssh accept the new key on a fresh connect. */
const accepting: { name: string; strict: 'yes' | 'accept-new'; edit: (lab: Lab, file: string) => void }[] = [
  { name: 'the new key written into known_hosts, StrictHostKeyChecking yes', strict: 'yes', edit: (lab, file) => writeFileSync(file, lab.knownHostsLine()) },
  { name: 'the new key written into known_hosts, StrictHostKeyChecking accept-new', strict: 'accept-new', edit: (lab, file) => writeFileSync(file, lab.knownHostsLine()) },
  { name: 'known_hosts emptied, StrictHostKeyChecking accept-new (would add any key silently)', strict: 'accept-new', edit: (_lab, file) => writeFileSync(file, '') },
];

for (const c of accepting) {
  test(`a key known_hosts would now accept (${c.name}): the pinned key wins`, { timeout: 120_000 }, async (t) => {
    await healCase(t, {}, async ({ lab, start, scratch }) => {
      const knownHosts = join(scratch('kh'), 'known_hosts');
      copyFileSync(lab.knownHostsPath, knownHosts);
      const r = await start({ knownHostsPath: knownHosts, strictHostKeyChecking: c.strict });
      await remoteShellPid(r, 'before');
      await lab.changeHostKey();
      c.edit(lab, knownHosts);
      const edited = readFileSync(knownHosts, 'utf8');
      const logMark = lab.sshdLog().length;
      await lab.killSession();
      await assertRefusedBeforeAuth(t, lab, r, logMark);
      assert.equal(readFileSync(knownHosts, 'utf8'), edited, 'known_hosts untouched: nothing accepted on the reconnect');
    });
  });
}
