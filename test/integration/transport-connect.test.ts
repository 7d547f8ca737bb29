// connect(): authentication, host keys and connection failures against ssh2's in-process server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { TetherError, errorCode } from '../../src/common/errors.js';
import { connect } from '../../src/transport/connect.js';
import { inspectServer } from '../../src/transport/inspect.js';
import { CredentialCache } from '../../src/transport/credential-cache.js';
import { fingerprintOf } from '../../src/transport/host-key.js';
import { NegotiationFailure } from '../../src/transport/negotiation.js';
import type { TestServer } from '../helpers/ssh-server.js';
import { ScriptedPrompter, makeKeyPair, startTestServer, testConfig } from '../helpers/ssh-server.js';

const dir = mkdtempSync(join(tmpdir(), 'tether-transport-'));
const userKey = makeKeyPair();
const lockedKey = makeKeyPair('sesame');
writeFileSync(join(dir, 'id_plain'), userKey.private, { mode: 0o600 });
writeFileSync(join(dir, 'id_locked'), lockedKey.private, { mode: 0o600 });
let server: TestServer;
let n = 0;
/** A fresh known_hosts path per test. */
const kh = () => join(dir, `known_hosts_${++n}`);

async function rejects(p: Promise<unknown>, kind: string): Promise<TetherError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof TetherError, `expected a TetherError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    return err;
  }
  assert.fail(`expected a '${kind}' failure`);
}

before(async () => {
  server = await startTestServer({
    publicKeys: [userKey.public, lockedKey.public],
    password: 'hunter2',
    keyboard: { prompts: [{ prompt: 'Code: ', echo: true }, { prompt: 'Password: ', echo: false }], answers: ['42', 'hunter2'] },
  });
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('authentication', () => {
  test('key login: missing files are skipped silently, the key works, nothing is asked', async () => {
    const p = new ScriptedPrompter();
    const cfg = testConfig(server, dir, { identityFiles: [join(dir, 'nope'), join(dir, 'id_plain')], userKnownHostsFiles: [kh()] });
    const link = await connect({ config: cfg, prompter: p });
    try {
      assert.equal(link.hostKey.fingerprint, fingerprintOf(server.hostKeyBlob));
      assert.match(link.remoteIdent, /^SSH-2\.0-/);
      assert.ok(link.timing.tcpConnectMs >= 0 && link.timing.handshakeMs >= 0);
      assert.deepEqual(p.asked, []);
    } finally {
      link.dispose();
    }
  });

  test('encrypted key: the passphrase is asked (after a wrong one) through the Prompter', async () => {
    const p = new ScriptedPrompter(['wrong', 'sesame']);
    const path = join(dir, 'id_locked');
    const cfg = testConfig(server, dir, { identityFiles: [path], userKnownHostsFiles: [kh()] });
    const link = await connect({ config: cfg, prompter: p });
    link.dispose();
    assert.deepEqual(p.asked, [`Enter passphrase for key '${path}': `, `Enter passphrase for key '${path}': `]);
  });

  test('password: asked as user@host\'s password', async () => {
    const p = new ScriptedPrompter(['hunter2']);
    const cfg = testConfig(server, dir, { preferredAuthentications: ['password'], userKnownHostsFiles: [kh()] });
    const link = await connect({ config: cfg, prompter: p });
    link.dispose();
    assert.deepEqual(p.asked, ["tester@127.0.0.1's password: "]);
  });

  test('keyboard-interactive: echoing and secret prompts, with name and instructions shown', async () => {
    const p = new ScriptedPrompter(['hunter2'], ['42']);
    const cfg = testConfig(server, dir, { userKnownHostsFiles: [kh()] });
    const link = await connect({ config: cfg, prompter: p });
    link.dispose();
    assert.deepEqual(p.asked, ['(tester@127.0.0.1) Code: ', '(tester@127.0.0.1) Password: ']);
    assert.deepEqual(p.infos.slice(-2), ['Test login', 'Answer the questions.']);
  });

  test('all methods fail: kind auth, ssh\'s wording with the methods the server listed, prompts limited', async () => {
    const p = new ScriptedPrompter(['a', 'b', 'c', 'd', 'e', 'f', 'g'], ['x', 'y', 'z']);
    const cfg = testConfig(server, dir, { userKnownHostsFiles: [kh()], numberOfPasswordPrompts: 2 });
    const err = await rejects(connect({ config: cfg, prompter: p }), 'auth');
    assert.equal(err.message, 'tester@127.0.0.1: Permission denied (publickey,keyboard-interactive,password).');
    assert.equal(err.fatal, true);
    assert.equal(p.asked.filter((q) => q.endsWith("'s password: ")).length, 2);
  });

  test('a CredentialCache spares reconnects the passphrase and (when allowed) the password', async () => {
    const cache = new CredentialCache(true);
    const path = join(dir, 'id_locked');
    const keyCfg = testConfig(server, dir, { identityFiles: [path], userKnownHostsFiles: [kh()] });
    const first = new ScriptedPrompter(['sesame']);
    (await connect({ config: keyCfg, prompter: first, credentials: cache })).dispose();
    const again = new ScriptedPrompter();
    (await connect({ config: keyCfg, prompter: again, credentials: cache })).dispose();
    assert.equal(first.asked.length, 1);
    assert.deepEqual(again.asked, []);
    const pwCfg = testConfig(server, dir, { preferredAuthentications: ['password'], userKnownHostsFiles: [kh()] });
    (await connect({ config: pwCfg, prompter: new ScriptedPrompter(['wrong', 'hunter2']), credentials: cache })).dispose();
    const pwAgain = new ScriptedPrompter();
    (await connect({ config: pwCfg, prompter: pwAgain, credentials: cache })).dispose();
    assert.deepEqual(pwAgain.asked, []);
    const noPw = new CredentialCache();
    (await connect({ config: pwCfg, prompter: new ScriptedPrompter(['hunter2']), credentials: noPw })).dispose();
    const asked = new ScriptedPrompter(['hunter2']);
    (await connect({ config: pwCfg, prompter: asked, credentials: noPw })).dispose();
    assert.equal(asked.asked.length, 1, 'passwords are not remembered unless allowed');
  });

  test('the server\'s pre-login banner is shown through the Prompter (not with LogLevel QUIET)', async () => {
    const bannered = await startTestServer({ publicKeys: [userKey.public], banner: 'Authorized use only.\n' });
    try {
      const login = (logLevel: string) => testConfig(bannered, dir, { identityFiles: [join(dir, 'id_plain')], userKnownHostsFiles: [kh()], logLevel });
      const p = new ScriptedPrompter();
      (await connect({ config: login('INFO'), prompter: p })).dispose();
      assert.ok(p.infos.includes('Authorized use only.'), p.infos.join('|'));
      const q = new ScriptedPrompter();
      (await connect({ config: login('QUIET'), prompter: q })).dispose();
      assert.ok(!q.infos.includes('Authorized use only.'));
    } finally {
      await bannered.close();
    }
  });

  test('BatchMode: nothing is asked and auth fails', async () => {
    const p = new ScriptedPrompter(['hunter2']);
    const cfg = testConfig(server, dir, { userKnownHostsFiles: [kh()], batchMode: true });
    await rejects(connect({ config: cfg, prompter: p }), 'auth');
    assert.deepEqual(p.asked, []);
  });
});

describe('inspectServer (doctor)', () => {
  test('banner, algorithms, host key and offered methods, without logging in or recording anything', async () => {
    const file = kh();
    const seen = await inspectServer(testConfig(server, dir, { userKnownHostsFiles: [file] }));
    assert.match(seen.remoteIdent, /^SSH-2\.0-/);
    assert.deepEqual(seen.authMethods, ['publickey', 'keyboard-interactive', 'password']);
    assert.equal(seen.knownHosts, 'new');
    assert.equal(seen.hostKey.fingerprint, fingerprintOf(server.hostKeyBlob));
    assert.ok(seen.negotiated.kex.length > 0);
    assert.ok(!existsSync(file), 'nothing recorded');
    assert.ok(!server.authLog.slice(-1)[0]?.startsWith('publickey'), 'only "none" was offered');
  });
});

describe('connection failures', () => {
  test('kex mismatch: kind protocol, ssh\'s wording, both lists kept', async () => {
    const old = await startTestServer({ publicKeys: [userKey.public], algorithms: { kex: ['diffie-hellman-group1-sha1'] } });
    try {
      const cfg = testConfig(old, dir, { userKnownHostsFiles: [kh()], kexAlgorithms: ['sntrup761x25519-sha512', 'curve25519-sha256'] });
      const err = await rejects(connect({ config: cfg, prompter: new ScriptedPrompter() }), 'protocol');
      // As OpenSSH prints it, the strict-kex marker included.
      assert.equal(
        err.message,
        `Unable to negotiate with 127.0.0.1 port ${old.port}: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1,kex-strict-s-v00@openssh.com`,
      );
      assert.ok(err.cause instanceof NegotiationFailure);
      assert.deepEqual(err.cause.ours, ['curve25519-sha256']);
      assert.deepEqual(err.cause.theirs, ['diffie-hellman-group1-sha1', 'kex-strict-s-v00@openssh.com']);
    } finally {
      await old.close();
    }
  });

  test('connection refused: kind connect, ssh\'s wording, errno kept', async () => {
    const port = await freePort();
    const cfg = testConfig({ port }, dir);
    const err = await rejects(connect({ config: cfg, prompter: new ScriptedPrompter() }), 'connect');
    assert.equal(err.message, `ssh: connect to host 127.0.0.1 port ${port}: Connection refused`);
    assert.equal(errorCode(err), 'ECONNREFUSED');
    assert.equal(err.fatal, false);
  });

  test('unresolvable host: ssh\'s "Could not resolve hostname"', async () => {
    const cfg = testConfig({ port: 22 }, dir, { hostname: 'no-such-host.invalid' });
    const err = await rejects(connect({ config: cfg, prompter: new ScriptedPrompter() }), 'connect');
    assert.match(err.message, /^ssh: Could not resolve hostname no-such-host\.invalid: /);
  });

  test('AddressFamily is honoured: localhost over inet works, over inet6 it does not reach the IPv4-only server', async () => {
    const cfg = (addressFamily: 'inet' | 'inet6') =>
      testConfig(server, dir, { hostname: 'localhost', addressFamily, identityFiles: [join(dir, 'id_plain')], userKnownHostsFiles: [kh()] });
    (await connect({ config: cfg('inet'), prompter: new ScriptedPrompter() })).dispose();
    const err = await rejects(connect({ config: cfg('inet6'), prompter: new ScriptedPrompter() }), 'connect');
    assert.match(err.message, /^ssh: (connect to host localhost port \d+: Connection refused|Could not resolve hostname localhost: )/);
  });

  test('closed before the banner: kind closed-before-banner with kex_exchange_identification', async () => {
    server.behaviour = 'close-before-banner';
    try {
      const err = await rejects(connect({ config: testConfig(server, dir), prompter: new ScriptedPrompter() }), 'closed-before-banner');
      assert.equal(err.message, `kex_exchange_identification: Connection closed by remote host\nConnection closed by 127.0.0.1 port ${server.port}`);
      server.behaviour = 'reset-before-banner';
      const reset = await rejects(connect({ config: testConfig(server, dir), prompter: new ScriptedPrompter() }), 'closed-before-banner');
      assert.match(reset.message, /^kex_exchange_identification: read: Connection reset by peer/);
      assert.equal(errorCode(reset), 'ECONNRESET');
    } finally {
      server.behaviour = 'normal';
    }
  });

  test('an AbortSignal cancels an attempt stuck before the banner (kind link, ABORT_ERR)', async () => {
    server.behaviour = 'silent';
    try {
      const ac = new AbortController();
      const attempt = connect({ config: testConfig(server, dir), prompter: new ScriptedPrompter(), signal: ac.signal });
      setTimeout(() => ac.abort(), 100);
      const err = await rejects(attempt, 'link');
      assert.equal(errorCode(err), 'ABORT_ERR');
      assert.equal(err.fatal, false);
      await rejects(connect({ config: testConfig(server, dir), prompter: new ScriptedPrompter(), signal: AbortSignal.abort() }), 'link');
    } finally {
      server.behaviour = 'normal';
    }
  });

  test('no banner within ConnectTimeout: kind connect, ETIMEDOUT', async () => {
    server.behaviour = 'silent';
    try {
      const cfg = testConfig(server, dir, { connectTimeoutMs: 300 });
      const err = await rejects(connect({ config: cfg, prompter: new ScriptedPrompter() }), 'connect');
      assert.match(err.message, /^Connection timed out during banner exchange/);
      assert.equal(errorCode(err), 'ETIMEDOUT');
    } finally {
      server.behaviour = 'normal';
    }
  });
});

/** A port nobody listens on (bound then released). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
