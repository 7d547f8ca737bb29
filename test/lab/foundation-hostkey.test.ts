// Host keys against the real sshd: an unknown key refused under StrictHostKeyChecking=yes, recorded under accept-new
// (and then accepted under yes), a changed key refused with OpenSSH's warning and exit 255.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { baseOptions, dest, report, sshInClientRaw, tempDir, tetherInClient } from '../helpers/foundation.js';
import type { Lab } from './index.js';
import { startLab } from './index.js';

/** The key options with a given known_hosts file and StrictHostKeyChecking value (later -o values lose: put first). */
function hostKeyArgv(lab: Lab, knownHosts: string, strict: string, cmd: string[]): string[] {
  return [
    '-o', `StrictHostKeyChecking=${strict}`,
    ...baseOptions(lab, knownHosts),
    '-i', lab.clientKey.privatePath, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
    dest(lab), ...cmd,
  ];
}

/** The base64 blob of the server's ed25519 host key as it is now. */
function ed25519Blob(lab: Lab): string {
  const line = lab.knownHostsLine().split('\n').find((l) => l.includes(' ssh-ed25519 '));
  assert.ok(line, 'the lab has an ed25519 host key');
  return line.split(' ')[2] ?? '';
}

test('host keys against the real sshd', { timeout: 90_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const home = tempDir(t, 'hostkey');
  const dir = tempDir(t, 'hostkey-files');

  await t.test('an unknown host key is refused under StrictHostKeyChecking=yes', async (st) => {
    const kh = join(dir, 'empty_known_hosts');
    writeFileSync(kh, '');
    const argv = hostKeyArgv(lab, kh, 'yes', ['echo', 'should-not-run']);
    const r = await tetherInClient(lab, home, argv);
    const ssh = await sshInClientRaw(lab, home, argv);
    report(st, 'unknown key, yes', argv, r);
    report(st, 'unknown key, yes (OpenSSH)', argv, ssh);
    assert.equal(r.code, 255);
    assert.equal(r.stdout.length, 0, 'the command never ran');
    assert.match(r.stderr, /Host key verification failed\./);
    assert.match(r.stderr, /No ED25519 host key is known for 198\.18\.2\.2 and you have requested strict checking\./, 'OpenSSH\'s wording');
    assert.equal(ssh.code, 255);
    assert.equal(readFileSync(kh, 'utf8'), '', 'known_hosts untouched');
  });

  await t.test('accept-new records the key; a second run under yes then works', async (st) => {
    const kh = join(dir, 'accept_new_known_hosts');
    assert.equal(existsSync(kh), false);
    const argv = hostKeyArgv(lab, kh, 'accept-new', ['sleep 0.2; echo first-run']);
    const r = await tetherInClient(lab, home, argv);
    report(st, 'unknown key, accept-new', argv, r);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'first-run\n');
    assert.match(r.stderr, /Permanently added '198\.18\.2\.2' \(ED25519\) to the list of known hosts/);
    const lines = readFileSync(kh, 'utf8').split('\n').filter((l) => l !== '');
    st.diagnostic(`known_hosts now: ${lines.join(' / ')}`);
    assert.equal(lines.length, 1, 'exactly one line added');
    const [host, type, blob] = (lines[0] ?? '').split(' ');
    assert.ok(host === lab.serverAddr || host?.startsWith('|1|'), `the line names the host: ${host}`);
    assert.equal(type, 'ssh-ed25519');
    assert.equal(blob, ed25519Blob(lab), 'the key recorded is the server\'s');

    const again = hostKeyArgv(lab, kh, 'yes', ['echo', 'second-run']);
    const r2 = await tetherInClient(lab, home, again, { retryLostStatus: true });
    report(st, 'recorded key, yes', again, r2);
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(r2.stdout.toString(), 'second-run\n');
    assert.equal(r2.stderr, '', 'nothing to warn about');
    // OpenSSH reads the line tether wrote the same way
    const ssh = await sshInClientRaw(lab, home, again);
    assert.equal(ssh.code, 0, `OpenSSH accepts the recorded line: ${ssh.stderr}`);
  });

  await t.test('a changed host key is refused with exit 255 and OpenSSH\'s warning', async (st) => {
    const kh = join(dir, 'old_known_hosts');
    writeFileSync(kh, lab.knownHostsLine());
    const before = await tetherInClient(lab, home, hostKeyArgv(lab, kh, 'yes', ['true']), { retryLostStatus: true });
    assert.equal(before.code, 0, `the known key works before the change: ${before.stderr}`);
    await lab.changeHostKey();
    for (const strict of ['yes', 'accept-new']) {
      const argv = hostKeyArgv(lab, kh, strict, ['echo', 'should-not-run']);
      const r = await tetherInClient(lab, home, argv);
      report(st, `changed key, ${strict}`, argv, r);
      assert.equal(r.code, 255, `${strict}: ${r.stderr}`);
      assert.equal(r.stdout.length, 0, 'the command never ran');
      assert.match(r.stderr, /WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!/);
      assert.match(r.stderr, /Host key verification failed\./);
      assert.ok(r.stderr.includes(kh), 'names the known_hosts file as OpenSSH does');
    }
    assert.notEqual(readFileSync(kh, 'utf8'), lab.knownHostsLine(), 'known_hosts still has the old keys (not rewritten)');
  });
});
