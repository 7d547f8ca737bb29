// Public keys through a real ssh-agent: agent first, IdentitiesOnly filtering, agent forwarding, unreadable key files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TetherError } from '../../src/common/errors.js';
import { connect } from '../../src/transport/connect.js';
import { openExec } from '../../src/transport/session.js';
import type { TestServer } from '../helpers/ssh-server.js';
import { ScriptedPrompter, makeKeyPair, startTestServer, testConfig } from '../helpers/ssh-server.js';

const skip = existsSync('/usr/bin/ssh-agent') ? false : 'ssh-agent not installed';
const dir = mkdtempSync(join(tmpdir(), 'tether-agent-'));
const sock = join(dir, 'agent.sock');
const agentKey = makeKeyPair('file passphrase');
const otherKey = makeKeyPair();
let agent: ChildProcess | undefined;
let server: TestServer;

before(async () => {
  server = await startTestServer({ publicKeys: [agentKey.public] });
  if (skip) return;
  // The file is encrypted; the agent holds the decrypted key. A login without a passphrase prompt proves the agent signed.
  writeFileSync(join(dir, 'id_agent'), agentKey.private, { mode: 0o600 });
  writeFileSync(join(dir, 'id_agent.pub'), agentKey.public);
  writeFileSync(join(dir, 'id_other'), otherKey.private, { mode: 0o600 });
  agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
  const plain = join(dir, 'id_agent_plain');
  execFileSync('cp', [join(dir, 'id_agent'), plain]);
  execFileSync('ssh-keygen', ['-q', '-p', '-P', 'file passphrase', '-N', '', '-f', plain]);
  execFileSync('ssh-add', ['-q', plain], { env: { SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
  rmSync(plain);
});
after(async () => {
  if (agent?.pid !== undefined) process.kill(agent.pid, 'SIGTERM');
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const cfg = (extra: Parameters<typeof testConfig>[2]) => testConfig(server, dir, { identityAgent: sock, ...extra });

test('the agent\'s key logs in without any prompt', { skip }, async () => {
  const p = new ScriptedPrompter();
  const link = await connect({ config: cfg({ identityFiles: [] }), prompter: p });
  link.dispose();
  assert.deepEqual(p.asked, []);
});

test('IdentitiesOnly: agent keys not named by an IdentityFile are not offered', { skip }, async () => {
  const err = await connect({ config: cfg({ identityFiles: [join(dir, 'id_other')], identitiesOnly: true, batchMode: true }), prompter: new ScriptedPrompter() }).catch(
    (e: unknown) => e,
  );
  assert.ok(err instanceof TetherError && err.kind === 'auth', String(err));
});

test('IdentitiesOnly: an IdentityFile held by the agent is signed by the agent (no passphrase asked)', { skip }, async () => {
  const p = new ScriptedPrompter();
  const link = await connect({ config: cfg({ identityFiles: [join(dir, 'id_agent')], identitiesOnly: true }), prompter: p });
  link.dispose();
  assert.deepEqual(p.asked, []);
});

test('-A: a session requests agent forwarding', { skip }, async () => {
  const link = await connect({ config: cfg({ forwardAgent: true }), prompter: new ScriptedPrompter() });
  try {
    const s = await openExec(link, 'true', { agentForward: true });
    s.stdin.end();
    s.stdout.resume();
    await s.exit;
    assert.equal(server.sessions[server.sessions.length - 1]?.agentForward, true);
  } finally {
    link.dispose();
  }
});

test('an unreadable IdentityFile gives one warning line and the next method goes on', async () => {
  const p = new ScriptedPrompter();
  const err = await connect({ config: testConfig(server, dir, { identityFiles: [dir], batchMode: true }), prompter: p }).catch((e: unknown) => e);
  assert.ok(err instanceof TetherError && err.kind === 'auth');
  assert.deepEqual(p.infos.filter((l) => l.startsWith('Load key')), [`Load key "${dir}": Is a directory`]);
});
