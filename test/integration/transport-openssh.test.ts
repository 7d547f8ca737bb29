// The transport against the real OpenSSH sshd on 127.0.0.1 (a temp config, host key and port): key logins (an
// ssh-keygen encrypted key too), exit status, keepalive@openssh.com replies, OpenSSH's auth and kex refusals.
// Needs root and /usr/sbin/sshd; skips with a message otherwise (fails under CI=true).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { connect as netConnect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { TetherError, errorCode } from '../../src/common/errors.js';
import { connect } from '../../src/transport/connect.js';
import type { Link } from '../../src/transport/link.js';
import { NegotiationFailure } from '../../src/transport/negotiation.js';
import { ping } from '../../src/transport/ping.js';
import { inspectServer } from '../../src/transport/inspect.js';
import { tcpProbe } from '../../src/transport/probe.js';
import { openExec, openShell } from '../../src/transport/session.js';
import { startLocalForward } from '../../src/transport/forward-local.js';
import { startRemoteForward } from '../../src/transport/forward-remote.js';
import { ScriptedPrompter, testConfig } from '../helpers/ssh-server.js';

const SSHD = '/usr/sbin/sshd';
const isRoot = process.getuid?.() === 0;
const why = !existsSync(SSHD) ? `${SSHD} not installed` : !isRoot ? 'not root (sshd needs it to switch users)' : undefined;
if (why && process.env.CI === 'true') throw new Error(`real-sshd tests cannot run under CI: ${why}`);
const skip = why ? `real sshd unavailable: ${why}` : false;

const dir = mkdtempSync(join(tmpdir(), 'tether-sshd-'));
let sshd: ChildProcess | undefined;
let port = 0;
let stderr = '';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

/** Every process below `pid` (the per-connection sshd processes under the listener). */
function descendants(pid: number): number[] {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // pgrep exits 1 when there is no child
  }
  const children = out.split('\n').filter(Boolean).map(Number);
  return children.flatMap((c) => [c, ...descendants(c)]);
}

/** Sends `text` to 127.0.0.1:port (or a unix socket) and resolves with the reply. */
function exchange(where: number | string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = typeof where === 'string' ? netConnect(where, () => s.write(text)) : netConnect(where, '127.0.0.1', () => s.write(text));
    s.on('data', (d: Buffer) => {
      s.destroy();
      resolve(d.toString());
    });
    s.on('error', reject);
  });
}

async function readAll(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

const login = (extra: Parameters<typeof testConfig>[2] = {}) =>
  testConfig({ port }, dir, { user: userInfo().username, identityFiles: [join(dir, 'id_ed25519')], ...extra });

before(async () => {
  if (skip) return;
  const keys = [['hostkey', ''], ['id_ed25519', ''], ['id_locked', 'open sesame'], ['junk1', ''], ['junk2', ''], ['junk3', '']] as const;
  for (const [name, pass] of keys) {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', pass, '-C', name, '-f', join(dir, name)]);
  }
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id_ed25519.pub'), 'utf8') + readFileSync(join(dir, 'id_locked.pub'), 'utf8'));
  rmSync(join(dir, 'id_locked.pub')); // the public half must come from the private file's header
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `HostKey ${join(dir, 'hostkey')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'ListenAddress 127.0.0.1',
      'PidFile none',
      'UsePAM no',
      'StrictModes no',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'MaxAuthTries 2',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege-separation directory
  port = await freePort();
  sshd = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config'), '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  sshd.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  for (let i = 0; i < 50; i++) {
    if ((await tcpProbe('127.0.0.1', port, 500)).banner) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd did not start: ${stderr}`);
});

after(() => {
  if (sshd?.pid !== undefined) process.kill(sshd.pid, 'SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('against OpenSSH sshd', { skip }, () => {
  test('key login; exec passes stdout and the exit status; OpenSSH answers keepalive@openssh.com', async () => {
    const link: Link = await connect({ config: login(), prompter: new ScriptedPrompter() });
    try {
      assert.match(link.remoteIdent, /^SSH-2\.0-OpenSSH_/);
      const s = await openExec(link, 'echo hello; exit 7');
      s.stdin.end();
      assert.equal(await readAll(s.stdout), 'hello\n');
      assert.deepEqual(await s.exit, { code: 7 });
      const rtt = await ping(link, 5000);
      assert.ok(rtt >= 0 && Number.isFinite(rtt));
    } finally {
      link.dispose();
    }
  });

  test('a stopped sshd session stalls pings (ETIMEDOUT); once continued, the same link answers again', async () => {
    const link = await connect({ config: login(), prompter: new ScriptedPrompter() });
    const session = descendants(sshd?.pid ?? 0);
    assert.ok(session.length > 0, 'the connection has its own sshd processes');
    try {
      for (const pid of session) process.kill(pid, 'SIGSTOP');
      await assert.rejects(ping(link, 300), (e: unknown) => e instanceof TetherError && e.kind === 'link' && errorCode(e) === 'ETIMEDOUT');
    } finally {
      for (const pid of session) process.kill(pid, 'SIGCONT');
    }
    try {
      assert.ok((await ping(link, 5000)) >= 0);
      assert.equal(link.closed, false);
    } finally {
      link.dispose();
    }
  });

  test('a shell with a pty reports its exit status', async () => {
    const link = await connect({ config: login(), prompter: new ScriptedPrompter() });
    try {
      const s = await openShell(link, { pty: { term: 'xterm', rows: 24, cols: 80 } });
      s.stdout.resume();
      s.stdin.write('stty size; exit 5\n');
      assert.deepEqual(await s.exit, { code: 5 });
    } finally {
      link.dispose();
    }
  });

  test('an ssh-keygen encrypted key (no .pub beside it): offered, then the passphrase asked once', async () => {
    const path = join(dir, 'id_locked');
    const p = new ScriptedPrompter(['open sesame']);
    const link = await connect({ config: login({ identityFiles: [path] }), prompter: p });
    link.dispose();
    assert.deepEqual(p.asked, [`Enter passphrase for key '${path}': `]);
  });

  test('no usable method: OpenSSH\'s method list in ssh\'s wording', async () => {
    const err = await connect({ config: login({ identityFiles: [], batchMode: true }), prompter: new ScriptedPrompter() }).catch((e: unknown) => e);
    assert.ok(err instanceof TetherError && err.kind === 'auth');
    assert.equal(err.message, `${userInfo().username}@127.0.0.1: Permission denied (publickey,password).`);
  });

  test('-L, -R and -R to a unix socket through OpenSSH carry data both ways', async () => {
    const echo = createServer((c) => c.on('data', (d: Buffer) => c.write(Buffer.concat([Buffer.from('echo:'), d]))));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const echoPort = (echo.address() as AddressInfo).port;
    const link = await connect({ config: login(), prompter: new ScriptedPrompter() });
    const p = new ScriptedPrompter();
    const local = await startLocalForward({ bindPort: 0, hostAddress: '127.0.0.1', hostPort: echoPort }, () => link, { prompter: p, exitOnForwardFailure: true });
    const remote = await startRemoteForward(link, { bindPort: 0, hostAddress: '127.0.0.1', hostPort: echoPort }, { prompter: p, exitOnForwardFailure: true });
    try {
      assert.ok(local?.port && remote?.port);
      assert.equal(await exchange(local.port, 'via-L'), 'echo:via-L');
      assert.equal(await exchange(remote.port, 'via-R'), 'echo:via-R');
      const path = join(dir, 'remote.sock');
      const sockFwd = await startRemoteForward(link, { bindSocket: path, hostAddress: '127.0.0.1', hostPort: echoPort }, { prompter: p, exitOnForwardFailure: true });
      assert.equal(await exchange(path, 'via-R-socket'), 'echo:via-R-socket');
      sockFwd?.dispose();
    } finally {
      remote?.dispose();
      local?.dispose();
      link.dispose();
      echo.close();
    }
  });

  test('too many keys: sshd\'s disconnect is an auth failure, in ssh\'s words', async () => {
    const junk = ['junk1', 'junk2', 'junk3'].map((k) => join(dir, k));
    const err = await connect({ config: login({ identityFiles: junk, batchMode: true }), prompter: new ScriptedPrompter() }).catch((e: unknown) => e);
    assert.ok(err instanceof TetherError && err.kind === 'auth', String(err));
    assert.match(err.message, new RegExp(`^Received disconnect from 127\\.0\\.0\\.1 port ${port}:2: Too many authentication failures`));
  });

  test('inspectServer: OpenSSH\'s banner and methods before login', async () => {
    const seen = await inspectServer(login());
    assert.match(seen.remoteIdent, /^SSH-2\.0-OpenSSH_/);
    assert.deepEqual(seen.authMethods, ['publickey', 'password']);
  });

  test('kex mismatch: Their offer is OpenSSH\'s list', async () => {
    const err = await connect({ config: login({ kexAlgorithms: ['diffie-hellman-group1-sha1'] }), prompter: new ScriptedPrompter() }).catch((e: unknown) => e);
    assert.ok(err instanceof TetherError && err.kind === 'protocol', String(err));
    assert.match(err.message, new RegExp(`^Unable to negotiate with 127\\.0\\.0\\.1 port ${port}: no matching key exchange method found\\. Their offer: .*curve25519-sha256`));
    assert.ok(err.cause instanceof NegotiationFailure);
    assert.deepEqual(err.cause.ours, ['diffie-hellman-group1-sha1']);
  });
});
