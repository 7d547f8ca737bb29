// connect(): host-key verification against ssh2's in-process server (known_hosts policies, pins, revocation).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TetherError } from '../../src/common/errors.js';
import { connect } from '../../src/transport/connect.js';
import { fingerprintOf, hostKeyFromBlob } from '../../src/transport/host-key.js';
import type { TestServer } from '../helpers/ssh-server.js';
import { ScriptedPrompter, makeKeyPair, startTestServer, testConfig } from '../helpers/ssh-server.js';

const dir = mkdtempSync(join(tmpdir(), 'tether-hostkey-'));
const userKey = makeKeyPair();
writeFileSync(join(dir, 'id_plain'), userKey.private, { mode: 0o600 });
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
  server = await startTestServer({ publicKeys: [userKey.public], password: 'hunter2' });
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('host keys', () => {
  const login = (overrides: Parameters<typeof testConfig>[2]) =>
    testConfig(server, dir, { identityFiles: [join(dir, 'id_plain')], ...overrides });
  const knownLine = (blob: Buffer) => `[127.0.0.1]:${server.port} ${hostKeyFromBlob(blob).type} ${blob.toString('base64')}\n`;

  test('unknown under yes: refused with ssh\'s words, kind host-key-unknown', async () => {
    const err = await rejects(connect({ config: login({ strictHostKeyChecking: 'yes', userKnownHostsFiles: [kh()] }), prompter: new ScriptedPrompter() }), 'host-key-unknown');
    assert.equal(err.message, `No ED25519 host key is known for [127.0.0.1]:${server.port} and you have requested strict checking.\nHost key verification failed.`);
  });

  test('unknown under accept-new: recorded (creating the directory) with the notice, then known', async () => {
    const file = join(dir, 'newdir', 'known_hosts');
    const p = new ScriptedPrompter();
    (await connect({ config: login({ strictHostKeyChecking: 'accept-new', userKnownHostsFiles: [file] }), prompter: p })).dispose();
    assert.equal(readFileSync(file, 'utf8'), knownLine(server.hostKeyBlob));
    assert.deepEqual(p.infos, [`Warning: Permanently added '[127.0.0.1]:${server.port}' (ED25519) to the list of known hosts.`]);
    (await connect({ config: login({ strictHostKeyChecking: 'yes', userKnownHostsFiles: [file] }), prompter: p })).dispose();
  });

  test('unknown under ask: the question, then yes records; the fingerprint also works; no refuses', async () => {
    const file = kh();
    const p = new ScriptedPrompter([], ['maybe', 'yes']);
    (await connect({ config: login({ strictHostKeyChecking: 'ask', userKnownHostsFiles: [file] }), prompter: p })).dispose();
    const fp = fingerprintOf(server.hostKeyBlob);
    assert.equal(
      p.asked[0],
      `The authenticity of host '[127.0.0.1]:${server.port} ([127.0.0.1]:${server.port})' can't be established.\n` +
        `ED25519 key fingerprint is ${fp}.\nThis key is not known by any other names.\n` +
        'Are you sure you want to continue connecting (yes/no/[fingerprint])? ',
    );
    assert.equal(p.asked[1], "Please type 'yes', 'no' or the fingerprint: ");
    assert.equal(readFileSync(file, 'utf8'), knownLine(server.hostKeyBlob));
    const byFp = new ScriptedPrompter([], [fp]);
    (await connect({ config: login({ strictHostKeyChecking: 'ask', userKnownHostsFiles: [kh()] }), prompter: byFp })).dispose();
    await rejects(connect({ config: login({ strictHostKeyChecking: 'ask', userKnownHostsFiles: [kh()] }), prompter: new ScriptedPrompter([], ['no']) }), 'host-key-unknown');
    const batch = new ScriptedPrompter([], ['yes']);
    const err = await rejects(connect({ config: login({ strictHostKeyChecking: 'ask', batchMode: true, userKnownHostsFiles: [kh()] }), prompter: batch }), 'host-key-unknown');
    assert.equal(err.message, 'Host key verification failed.');
    assert.deepEqual(batch.asked, [], 'BatchMode never asks');
  });

  test('ask: the same key known under other names is listed in the question', async () => {
    const file = kh();
    writeFileSync(file, `# c\nother.example ${hostKeyFromBlob(server.hostKeyBlob).type} ${server.hostKeyBlob.toString('base64')}\n`);
    const p = new ScriptedPrompter([], ['no']);
    await rejects(connect({ config: login({ strictHostKeyChecking: 'ask', userKnownHostsFiles: [file] }), prompter: p }), 'host-key-unknown');
    assert.match(p.asked[0] ?? '', new RegExp(`\nThis host key is known by the following other names/addresses:\n    ${file}:2: other\\.example\n`));
  });

  test('unknown under no: accepted and recorded (hashed with HashKnownHosts)', async () => {
    const file = kh();
    (await connect({ config: login({ strictHostKeyChecking: 'no', hashKnownHosts: true, userKnownHostsFiles: [file] }), prompter: new ScriptedPrompter() })).dispose();
    assert.match(readFileSync(file, 'utf8'), /^\|1\|[^ ]+ ssh-ed25519 /);
    (await connect({ config: login({ strictHostKeyChecking: 'yes', userKnownHostsFiles: [file] }), prompter: new ScriptedPrompter() })).dispose();
  });

  test('changed key: refused with the big warning under yes/ask/accept-new; under no it continues without passwords', async () => {
    const file = kh();
    writeFileSync(file, knownLine(Buffer.from(hostKeyFromBlob(makeServerBlob()).data)));
    for (const mode of ['yes', 'ask', 'accept-new'] as const) {
      const err = await rejects(connect({ config: login({ strictHostKeyChecking: mode, userKnownHostsFiles: [file] }), prompter: new ScriptedPrompter() }), 'host-key-changed');
      assert.ok(err.message.includes("@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @"));
      assert.match(err.message, new RegExp(`Offending ED25519 key in ${file}:1`));
      assert.match(err.message, /has changed and you have requested strict checking\.\nHost key verification failed\.$/);
    }
    const p = new ScriptedPrompter(['hunter2']);
    const link = await connect({ config: login({ strictHostKeyChecking: 'no', userKnownHostsFiles: [file], identityFiles: [] }), prompter: p }).catch((e: unknown) => e);
    assert.ok(link instanceof TetherError && link.kind === 'auth', 'password must not be used after a changed key');
    assert.deepEqual(p.asked, []);
    assert.ok(p.infos.includes('Password authentication is disabled to avoid man-in-the-middle attacks.'));
  });

  test('pinned key mismatch: refused whatever known_hosts says', async () => {
    const file = kh();
    writeFileSync(file, knownLine(server.hostKeyBlob));
    const other = hostKeyFromBlob(makeServerBlob());
    const err = await rejects(
      connect({ config: login({ strictHostKeyChecking: 'no', userKnownHostsFiles: [file] }), prompter: new ScriptedPrompter(), pinnedHostKey: other }),
      'host-key-changed',
    );
    assert.match(err.message, /REMOTE HOST IDENTIFICATION HAS CHANGED/);
    assert.equal(err.fatal, true);
    // The right pin passes even with an empty known_hosts under yes.
    const pinned = hostKeyFromBlob(server.hostKeyBlob);
    (await connect({ config: login({ strictHostKeyChecking: 'yes', userKnownHostsFiles: [kh()] }), prompter: new ScriptedPrompter(), pinnedHostKey: pinned })).dispose();
  });

  test('revoked key: refused, kind host-key-revoked', async () => {
    const file = kh();
    writeFileSync(file, `@revoked * ssh-ed25519 ${server.hostKeyBlob.toString('base64')}\n${knownLine(server.hostKeyBlob)}`);
    const err = await rejects(connect({ config: login({ strictHostKeyChecking: 'accept-new', userKnownHostsFiles: [file] }), prompter: new ScriptedPrompter() }), 'host-key-revoked');
    assert.match(err.message, /WARNING: REVOKED HOST KEY DETECTED!/);
  });

  test('global known_hosts is consulted after the user file', async () => {
    const global = join(dir, 'global_kh');
    writeFileSync(global, knownLine(server.hostKeyBlob));
    (await connect({ config: login({ strictHostKeyChecking: 'yes', userKnownHostsFiles: [kh()], globalKnownHostsFiles: [global] }), prompter: new ScriptedPrompter() })).dispose();
  });

  test('HostKeyAlias names the key in known_hosts', async () => {
    const file = kh();
    writeFileSync(file, `myalias ssh-ed25519 ${server.hostKeyBlob.toString('base64')}\n`);
    (await connect({ config: login({ strictHostKeyChecking: 'yes', hostKeyAlias: 'myalias', userKnownHostsFiles: [file] }), prompter: new ScriptedPrompter() })).dispose();
  });
});

/** Another server's key blob (a key no test server holds). */
function makeServerBlob(): Buffer {
  const pub = makeKeyPair().public.split(' ')[1] ?? '';
  return Buffer.from(pub, 'base64');
}
