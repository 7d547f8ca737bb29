// Bad input against the real sshd, compared with OpenSSH: an unknown flag, an unreachable host, a broken ssh_config,
// identity files that cannot be used. Same exit status and the same message (OpenSSH ends its lines with \r\n).
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dest, head, keyOptions, report, sshInClientRaw, tempDir, tetherInClient } from '../helpers/foundation.js';
import type { ClientResult } from '../helpers/foundation.js';
import { startLab } from './index.js';
import { must } from './run.js';

/** stderr with \r\n line ends made \n (OpenSSH ends its log lines with \r\n; tether mostly with \n). */
function text(r: ClientResult): string {
  return r.stderr.replace(/\r\n/g, '\n');
}

/** A string as a literal inside a RegExp. */
function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

test('bad input fails like OpenSSH against the real sshd', { timeout: 90_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const home = tempDir(t, 'errors');
  const dir = tempDir(t, 'errors-files');

  await t.test('an unknown flag: exit 255, "unknown option -- z" and the usage', async (st) => {
    const argv = ['-z', dest(lab), 'true'];
    const r = await tetherInClient(lab, home, argv);
    const ssh = await sshInClientRaw(lab, home, argv);
    report(st, 'unknown flag', argv, r);
    assert.equal(r.code, 255);
    assert.equal(ssh.code, 255);
    assert.equal(text(r).split('\n')[0], 'unknown option -- z');
    assert.equal(r.stderr, ssh.stderr, 'the same bytes as ssh (the usage included)');
    assert.equal(r.stdout.length, 0);
  });

  await t.test('an unreachable host: exit 255, "ssh: connect to host ... port 22: Connection timed out"', async (st) => {
    await lab.blackhole();
    try {
      const argv = ['-o', 'ConnectTimeout=2', ...keyOptions(lab), `${lab.user}@198.18.2.99`, 'true'];
      const r = await tetherInClient(lab, home, argv);
      const ssh = await sshInClientRaw(lab, home, argv);
      report(st, 'unreachable host', argv, r);
      assert.equal(r.code, 255);
      assert.equal(text(r), 'ssh: connect to host 198.18.2.99 port 22: Connection timed out\n');
      assert.equal(r.stderr, ssh.stderr, 'the same bytes as ssh');
    } finally {
      await lab.restorePath();
    }
  });

  await t.test('a broken ssh_config (-F): exit 255 and the file:line message', async (st) => {
    const bad = join(dir, 'badconfig');
    writeFileSync(bad, 'Host *\n  Port 22\n  NoSuchOption yes\n');
    const argv = ['-F', bad, dest(lab), 'true'];
    const r = await tetherInClient(lab, home, argv);
    const ssh = await sshInClientRaw(lab, home, argv);
    report(st, 'broken config', argv, r);
    assert.equal(r.code, 255);
    assert.equal(ssh.code, 255);
    assert.match(text(r), new RegExp(`^${literal(bad)}: line 3: Bad configuration option: nosuchoption\n`));
    assert.equal(r.stdout.length, 0);
    await st.test('the same text as ssh, its "terminating" line included', () => {
      assert.equal(r.stderr, ssh.stderr, 'the same bytes as ssh');
    });
  });

  await t.test('an identity file that does not exist: one warning line, then a clean login', async (st) => {
    const argv = ['-i', join(dir, 'no-such-key'), ...keyOptions(lab), dest(lab), 'echo still-in; sleep 0.1'];
    const r = await tetherInClient(lab, home, argv);
    const ssh = await sshInClientRaw(lab, home, argv);
    report(st, 'missing identity file', argv, r);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'still-in\n');
    assert.equal(r.stderr.split('\n').filter((l) => l !== '').length, 1, `one line: ${r.stderr}`);
    assert.match(r.stderr, /no-such-key/);
    assert.equal(r.stderr, ssh.stderr, 'the same warning as ssh, byte for byte');
  });

  await t.test('an identity file that is not a key: a clean login with the next key, like ssh', async (st) => {
    const junk = join(dir, 'junk-key');
    writeFileSync(junk, 'this is not a private key\n', { mode: 0o600 });
    const argv = ['-i', junk, ...keyOptions(lab), dest(lab), 'echo still-in; sleep 0.1'];
    const r = await tetherInClient(lab, home, argv);
    const ssh = await sshInClientRaw(lab, home, argv);
    report(st, 'junk identity file', argv, r);
    st.diagnostic(`[foundation] junk identity file: ssh -> exit ${ssh.code}; stderr ${JSON.stringify(ssh.stderr)}`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(ssh.code, 0, ssh.stderr);
    assert.equal(r.stdout.toString(), 'still-in\n');
    // OpenSSH 9.2 on OpenSSL 3 says "error in libcrypto" here, older ones "invalid format": the reason may differ
    assert.match(text(r), new RegExp(`^Load key "${literal(junk)}": [^\n]+\n$`), 'one line naming the file, as ssh');
  });

  await t.test('a private key readable by others: ignored with the UNPROTECTED warning, the next key logs in', async (st) => {
    // authorized, so a login with it would succeed: only the sshd log tells which key was used
    const key = await lab.generateClientKey();
    chmodSync(key.privatePath, 0o644);
    const argv = ['-i', key.privatePath, ...keyOptions(lab), dest(lab), 'echo still-in; sleep 0.1'];
    const ssh = await sshInClientRaw(lab, home, argv);
    const mark = lab.sshdLog().length;
    const r = await tetherInClient(lab, home, argv);
    report(st, 'key mode 0644', argv, r);
    st.diagnostic(`[foundation] key mode 0644: ssh -> exit ${ssh.code}; stderr ${JSON.stringify(head(ssh.stderr, 2))}`);
    const loose = (await must('ssh-keygen', ['-l', '-E', 'sha256', '-f', key.publicPath])).split(' ')[1] ?? '?';
    const accepted = /Accepted publickey for \S+ from \S+ port \d+ ssh2: \S+ (SHA256:\S+)/.exec(lab.sshdLog().slice(mark))?.[1];
    st.diagnostic(`[foundation] key mode 0644: the 0644 key is ${loose}; sshd accepted ${accepted ?? 'none'}`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'still-in\n');
    assert.notEqual(accepted, loose, 'the key readable by others was not used');
    assert.match(r.stderr, /UNPROTECTED PRIVATE KEY FILE/);
    assert.equal(r.stderr, ssh.stderr, 'the same bytes as ssh');
  });
});
