// `tether doctor` against the embedded demo server (a real ssh2 server with real shells), directly and through the
// fault proxy: banner, methods, login, boot id; a refused or closed port is named as a port problem, not a dead host.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoServer } from '../../src/cli/demo/server.js';
import type { DemoServer } from '../../src/cli/demo/server.js';
import { startFaultProxy } from '../../src/cli/demo/fault-proxy.js';
import type { FaultProxy } from '../../src/cli/demo/fault-proxy.js';
import { runDoctorCommand } from '../../src/cli/doctor/index.js';
import { silentPrompter } from '../../src/transport/prompter.js';

let dir: string;
let server: DemoServer;
let proxy: FaultProxy;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tether-doctor-'));
  server = await startDemoServer({ env: { PATH: process.env.PATH, HOME: dir }, shell: '/bin/sh' });
  proxy = await startFaultProxy(server.port);
  writeFileSync(join(dir, 'id'), server.clientPrivateKey, { mode: 0o600 });
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${server.port} ${server.hostKeyLine}\n[127.0.0.1]:${proxy.port} ${server.hostKeyLine}\n`);
});

after(async () => {
  await proxy.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function argv(port: number, extra: string[] = []): string[] {
  return [
    '-F', '/dev/null', '-i', join(dir, 'id'), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
    '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=yes',
    '-p', String(port), ...extra, 'demo@127.0.0.1',
  ];
}

async function doctor(args: string[], isTTY = false): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await runDoctorCommand(args, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    isTTY,
    prompter: silentPrompter,
    stateDir: join(dir, 'state'),
  });
  return { status, out, err };
}

test('a healthy host: banner, methods, the login, boot id; exit 0 and the ServerAliveInterval lines', async () => {
  const r = await doctor(argv(server.port), true);
  assert.equal(r.status, 0, r.out + r.err);
  assert.match(r.out, /✓ TCP 127\.0\.0\.1:\d+: connect RTT min\/median\/max [\d.]+\/[\d.]+\/[\d.]+ ms, 0 of 5 lost/);
  assert.match(r.out, /✓ banner: SSH-2\.0-\S+/);
  assert.match(r.out, /auth methods offered: publickey; logged in as demo with publickey/);
  const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  assert.ok(r.out.includes(`boot id ${bootId}`), r.out);
  // the server talked to is the demo server (this process), never this machine's own sshd and its settings
  assert.ok(r.out.includes(`sshd master pid ${process.pid},`), r.out);
  assert.match(r.out, /sshd keep-alive: not known \(no sshd above this session/);
  assert.doesNotMatch(r.out, /ClientAliveInterval \d+ \((sshd -T|sshd_config)\)/);
  // BatchMode=yes makes OpenSSH's default ServerAliveInterval 300: more than the 60 s doctor suggests.
  assert.match(r.out, /Lines to add:\n[^]*add to ~\/\.ssh\/config:\n {6}Host 127\.0\.0\.1\n {10}ServerAliveInterval 60\n/);
  assert.doesNotMatch(r.out, /✗/);
});

test('piped output has words, not marks; --json gives one object per line', async () => {
  const plain = await doctor(argv(server.port));
  assert.match(plain.out, /^ok {3}banner: SSH-2\.0-/m);
  assert.doesNotMatch(plain.out, /[✓✗]/);
  const json = await doctor([...argv(server.port), '--json']);
  assert.equal(json.status, 0);
  const objs = json.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; step?: string; id?: string });
  assert.ok(objs.some((o) => o.type === 'step' && o.step === 'auth'));
  assert.ok(objs.some((o) => o.type === 'finding' && o.id === 'client-keepalive'));
  assert.deepEqual(objs.at(-1), { type: 'summary', alias: '127.0.0.1', hostname: '127.0.0.1', port: server.port, user: 'demo', reachable: true, login: true, status: 0 });
});

test('the proxy refusing: a port problem (nothing listens), never "host down"; exit 1', async (t) => {
  proxy.inject('refuse');
  t.after(() => proxy.heal());
  const r = await doctor(argv(proxy.port));
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /(nothing listens on port \d+ of 127\.0\.0\.1|port \d+ of 127\.0\.0\.1 .*resets|closed before the SSH banner)/);
  assert.doesNotMatch(r.out, /cannot be reached|host is down/);
});

test('nothing listening on a port of this machine: "nothing listens on port N", no firewall to open', async () => {
  const free = createServer();
  await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', () => resolve()));
  const port = (free.address() as AddressInfo).port;
  await new Promise<void>((resolve) => free.close(() => resolve()));
  const r = await doctor(argv(port));
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, new RegExp(`nothing listens on port ${port} of 127\\.0\\.0\\.1 \\(this machine\\): the connection is refused`));
  assert.doesNotMatch(r.out, /iptables|firewall/);
  assert.doesNotMatch(r.out, /cannot be reached/);
});

test('closed before the banner: MaxStartups / fail2ban / hosts.deny', async (t) => {
  proxy.inject('close-before-banner');
  t.after(() => proxy.heal());
  const r = await doctor(argv(proxy.port));
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /closed before the SSH banner/);
  assert.match(r.out, /MaxStartups 10:30:100/);
});

test('a wrong key: the methods the server offers and an auth finding', async () => {
  writeFileSync(join(dir, 'other'), (await startDemoServerKey()).key, { mode: 0o600 });
  const args = argv(server.port).map((a) => (a === join(dir, 'id') ? join(dir, 'other') : a));
  const r = await doctor(args);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /authentication failed for demo; the server offers publickey/);
});

test('no common kex: both sides\' lists and the KexAlgorithms line to add', async () => {
  const r = await doctor(argv(server.port, ['-o', 'KexAlgorithms=diffie-hellman-group1-sha1']));
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /key exchange: no common kex; ours: diffie-hellman-group1-sha1; theirs: \S*curve25519-sha256/);
  assert.match(r.out, /add to ~\/\.ssh\/config:\n {6}Host 127\.0\.0\.1\n {10}KexAlgorithms \+curve25519-sha256\S*\n/);
  assert.doesNotMatch(r.out, /\+kex-strict/);
});

test('--idle-probe with a short range: no limit on a direct path, result stored for the host', async () => {
  const r = await doctor([...argv(server.port), '--idle-probe', '--max-wait', '6']);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /idle probe round 1: \d+ idle connections, waits 5\.0\.\.6\.0 s/);
  assert.match(r.out, /no idle limit found up to 6\.0 s/);
  const stored = JSON.parse(readFileSync(join(dir, 'state', 'hosts.json'), 'utf8')) as { hosts: Record<string, { idleSurvivedMs?: number }> };
  assert.equal(stored.hosts['demo@127.0.0.1:' + String(server.port)]?.idleSurvivedMs, 6000);
  for (let i = 0; i < 50 && server.connectionCount() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(server.connectionCount(), 0, 'every probe connection closed');
});

test('bad argv: exit 255 with a message', async () => {
  const r = await doctor(['--max-wait', 'soon', 'demo@127.0.0.1']);
  assert.equal(r.status, 255);
  assert.match(r.err, /--max-wait wants a positive number of seconds/);
  const none = await doctor(['--json']);
  assert.equal(none.status, 255);
});

/** A second demo server's client key: a valid key the first server does not accept. */
async function startDemoServerKey(): Promise<{ key: string }> {
  const other = await startDemoServer({ env: {}, shell: '/bin/sh' });
  await other.close();
  return { key: other.clientPrivateKey };
}
