// Host keys against the real sshd: an unknown key refused under StrictHostKeyChecking=yes, recorded under accept-new
// (and then accepted under yes), a changed key refused with OpenSSH's warning and exit 255.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { baseOptions, dest, report, sshInClientRaw, tempDir, tetherInClient } from '../helpers/foundation.js';
import type { Lab } from './index.js';
import { startLab } from './index.js';
import { must } from './run.js';

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
    report(st, 'unknown key, yes (OpenSSH)', argv, ssh, 'ssh');
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
    const r2 = await tetherInClient(lab, home, again);
    report(st, 'recorded key, yes', again, r2);
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(r2.stdout.toString(), 'second-run\n');
    assert.equal(r2.stderr, '', 'nothing to warn about');
    // OpenSSH reads the line tether wrote the same way
    const ssh = await sshInClientRaw(lab, home, again);
    assert.equal(ssh.code, 0, `OpenSSH accepts the recorded line: ${ssh.stderr}`);
  });

  await t.test('hashed known_hosts entries (ssh-keygen -H) are matched', async (st) => {
    const kh = join(dir, 'hashed_known_hosts');
    writeFileSync(kh, lab.knownHostsLine());
    await must('ssh-keygen', ['-q', '-H', '-f', kh]);
    const hashed = readFileSync(kh, 'utf8');
    assert.match(hashed, /^\|1\|/m, 'the file is hashed');
    assert.ok(!hashed.includes(lab.serverAddr), 'no plain address left');
    const argv = hostKeyArgv(lab, kh, 'yes', ['echo hashed-ok; sleep 0.1']);
    const r = await tetherInClient(lab, home, argv);
    report(st, 'hashed known_hosts', argv, r);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'hashed-ok\n');
  });

  await t.test('known_hosts with only the RSA key: the RSA host key is negotiated, as OpenSSH does', async (st) => {
    const kh = join(dir, 'rsa_only_known_hosts');
    writeFileSync(kh, `${lab.knownHostsLine().split('\n').filter((l) => l.includes(' ssh-rsa ')).join('\n')}\n`);
    const argv = hostKeyArgv(lab, kh, 'yes', ['echo rsa-ok; sleep 0.1']);
    const ssh = await sshInClientRaw(lab, home, argv);
    const r = await tetherInClient(lab, home, argv);
    report(st, 'known_hosts has only RSA', argv, r);
    assert.equal(ssh.code, 0, `OpenSSH negotiates rsa: ${ssh.stderr}`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'rsa-ok\n');
  });

  await t.test('@revoked host keys are refused like OpenSSH', async (st) => {
    const lines = lab.knownHostsLine().split('\n').filter((l) => l !== '');
    const revoked = (l: string): string => `@revoked * ${l.split(' ').slice(1).join(' ')}\n`;
    // every host key revoked: refused
    const all = join(dir, 'revoked_all_known_hosts');
    writeFileSync(all, `${lab.knownHostsLine()}${lines.map(revoked).join('')}`);
    const argv = hostKeyArgv(lab, all, 'yes', ['echo should-not-run']);
    const ssh = await sshInClientRaw(lab, home, argv);
    const r = await tetherInClient(lab, home, argv);
    report(st, '@revoked all host keys', argv, r);
    st.diagnostic(`[foundation] @revoked all (OpenSSH): exit ${ssh.code}; stderr ${JSON.stringify(ssh.stderr.split('\n').slice(0, 4).join(' | '))}`);
    assert.equal(ssh.code, 255, 'OpenSSH refuses');
    assert.equal(r.code, 255, r.stderr);
    assert.equal(r.stdout.length, 0);
    assert.match(r.stderr, /REVOKED HOST KEY DETECTED/);
    assert.match(r.stderr, /Host key verification failed\./);

    // only ed25519 revoked: OpenSSH negotiates the RSA key it also knows, and logs in
    await st.test('ed25519 revoked, RSA known: the RSA key is used, as OpenSSH does', async (sst) => {
      const ed = lines.find((l) => l.includes(' ssh-ed25519 ')) ?? '';
      const some = join(dir, 'revoked_ed25519_known_hosts');
      writeFileSync(some, `${lab.knownHostsLine()}${revoked(ed)}`);
      const argvSome = hostKeyArgv(lab, some, 'yes', ['echo other-key-ok; sleep 0.1']);
      const sshSome = await sshInClientRaw(lab, home, argvSome);
      const rSome = await tetherInClient(lab, home, argvSome);
      report(sst, '@revoked ed25519 (rsa known)', argvSome, rSome);
      sst.diagnostic(`[foundation] @revoked ed25519 (OpenSSH): exit ${sshSome.code}; stdout ${JSON.stringify(sshSome.stdout.toString())}`);
      assert.equal(sshSome.code, 0, `OpenSSH uses the RSA key: ${sshSome.stderr}`);
      assert.equal(rSome.code, sshSome.code, `same status as ssh: ${rSome.stderr}`);
      assert.deepEqual(rSome.stdout, sshSome.stdout);
    });
  });

  await t.test('a changed host key is refused with exit 255 and OpenSSH\'s warning', async (st) => {
    const kh = join(dir, 'old_known_hosts');
    writeFileSync(kh, lab.knownHostsLine());
    const before = await tetherInClient(lab, home, hostKeyArgv(lab, kh, 'yes', ['true']));
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
