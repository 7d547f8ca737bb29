// The foundation against the real sshd: logins with a key, an encrypted key (passphrase through SSH_ASKPASS), an
// agent and a password, each proven by what sshd logged ("Accepted publickey ... <fingerprint>", "Accepted password").
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { baseOptions, dest, keyOptions, report, startAgent, tempDir, tetherInClient, writeAskpass } from '../helpers/foundation.js';
import { must } from './run.js';
import { startLab } from './index.js';
import type { Lab } from './index.js';

/** `SHA256:...` of a public key file, as sshd logs it. */
async function fingerprint(pubPath: string): Promise<string> {
  const out = await must('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubPath]);
  const fp = /SHA256:\S+/.exec(out)?.[0];
  assert.ok(fp, `a fingerprint from ssh-keygen -l: ${out}`);
  return fp;
}

/** sshd's log lines added since `from` (a length of the log before the run). */
function logSince(lab: Lab, from: number): string {
  return lab.sshdLog().slice(from);
}

test('logins against the real sshd: key, encrypted key, agent, password', { timeout: 120_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const home = tempDir(t, 'login');

  await t.test('(a) an unencrypted key: -i KEY -o IdentitiesOnly=yes', async (st) => {
    const mark = lab.sshdLog().length;
    const argv = [...keyOptions(lab), dest(lab), 'echo', 'key-login-ok'];
    const r = await tetherInClient(lab, home, argv);
    report(st, 'key login', argv, r);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'key-login-ok\n');
    assert.match(logSince(lab, mark), new RegExp(`Accepted publickey for ${lab.user} from ${lab.clientAddr} .*${escape(await fingerprint(lab.clientKey.publicPath))}`));
  });

  await t.test('(b) an encrypted key: the passphrase comes from SSH_ASKPASS (SSH_ASKPASS_REQUIRE=force)', async (st) => {
    const passphrase = 'correct horse battery staple';
    const key = await lab.generateClientKey({ passphrase });
    const dir = tempDir(st, 'askpass-key');
    const ask = writeAskpass(dir, passphrase);
    const argv = [...baseOptions(lab), '-i', key.privatePath, '-o', 'IdentitiesOnly=yes', '-o', 'PasswordAuthentication=no', dest(lab), 'echo', 'passphrase-ok'];
    const mark = lab.sshdLog().length;
    const r = await tetherInClient(lab, home, argv, { env: { SSH_ASKPASS: ask.path, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' } });
    report(st, 'encrypted key login', argv, r);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'passphrase-ok\n');
    const prompts = readFileSync(ask.log, 'utf8');
    assert.match(prompts, /passphrase/i, 'askpass was asked for the passphrase');
    assert.ok(prompts.includes(key.privatePath), `the prompt names the key file: ${prompts}`);
    assert.match(logSince(lab, mark), new RegExp(`Accepted publickey for ${lab.user} .*${escape(await fingerprint(key.publicPath))}`));

    // a wrong passphrase must not log in (and must not loop forever)
    const wrong = writeAskpass(tempDir(st, 'askpass-wrong'), 'not the passphrase');
    const bad = await tetherInClient(lab, home, argv, { env: { SSH_ASKPASS: wrong.path, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' } });
    report(st, 'encrypted key, wrong passphrase', argv, bad);
    assert.equal(bad.code, 255);
    assert.match(bad.stderr, /Permission denied \(publickey/);
  });

  await t.test('(c) an agent: SSH_AUTH_SOCK, no key file anywhere', async (st) => {
    const dir = tempDir(st, 'agent');
    const sock = join(dir, 'agent.sock');
    const key = await lab.generateClientKey();
    await startAgent(st, lab, home, sock, key.privatePath);
    const fp = await fingerprint(key.publicPath);
    // the agent holds the only copy now: a login with this key can only have come from the agent
    rmSync(key.privatePath);
    rmSync(key.publicPath);
    const argv = [...baseOptions(lab), '-o', 'IdentityFile=/nonexistent/id_ed25519', '-o', 'PasswordAuthentication=no', '-o', 'BatchMode=yes', dest(lab), 'echo', 'agent-ok'];
    const mark = lab.sshdLog().length;
    const r = await tetherInClient(lab, home, argv, { env: { SSH_AUTH_SOCK: sock } });
    report(st, 'agent login', argv, r);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'agent-ok\n');
    assert.match(logSince(lab, mark), new RegExp(`Accepted publickey for ${lab.user} .*${escape(fp)}`));

    // the control: the same argv without the agent is refused
    const none = await tetherInClient(lab, home, argv);
    report(st, 'same argv, no agent', argv, none);
    assert.equal(none.code, 255);
    assert.match(none.stderr, /Permission denied \(publickey/);
  });

  await t.test('(d) a password through SSH_ASKPASS', async (st) => {
    const ask = writeAskpass(tempDir(st, 'askpass-pw'), lab.password);
    const argv = [...baseOptions(lab), '-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no', dest(lab), 'echo', 'password-ok'];
    const mark = lab.sshdLog().length;
    const r = await tetherInClient(lab, home, argv, { env: { SSH_ASKPASS: ask.path, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' } });
    report(st, 'password login', argv, r);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'password-ok\n');
    assert.match(readFileSync(ask.log, 'utf8'), new RegExp(`${lab.user}@${escape(lab.serverAddr)}'s password:`), 'the prompt reads like OpenSSH\'s');
    assert.match(logSince(lab, mark), new RegExp(`Accepted password for ${lab.user} from ${escape(lab.clientAddr)}`));
  });
});

/** A string as a literal inside a RegExp. */
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
