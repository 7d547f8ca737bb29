// The other forwards against the real sshd: -R (a server port to a client-side service), -D (SOCKS5 through the
// server) and -A (agent forwarding: the remote ssh-add sees the local agent's key).
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { TETHER_BIN, cleanEnv, dest, keyOptions, report, runInClient, startAgent, tempDir, tetherInClient } from '../helpers/foundation.js';
import type { Lab } from './index.js';
import { startLab, waitForExit, waitForOutput, waitUntil } from './index.js';

// An echo server that greets first: `node -e ECHO_SERVER <port> <host>`.
const ECHO_SERVER = `
const net = require('net');
net.createServer((s) => { s.write('hello-from-echo\\n'); s.pipe(s); })
  .listen(Number(process.argv[1]), process.argv[2], () => console.log('listening'));
`;

// Connects (directly, or through SOCKS5 when argv[3] is 'socks' with argv[4]:argv[5] the target), reads the greeting,
// sends N random bytes and reads them back; prints one JSON line.
const ECHO_CLIENT = `
const net = require('net');
const crypto = require('crypto');
const [port, size, mode, thost, tport] = [Number(process.argv[1]), Number(process.argv[2]), process.argv[3], process.argv[4], Number(process.argv[5])];
const payload = crypto.randomBytes(size);
const greet = 'hello-from-echo\\n';
const s = net.connect(port, '127.0.0.1');
let stage = mode === 'socks' ? 'hello' : 'data';
let got = Buffer.alloc(0);
const timer = setTimeout(() => { console.log(JSON.stringify({ timeout: true, stage, bytes: got.length })); process.exit(2); }, 20000);
s.on('connect', () => {
  if (stage === 'hello') s.write(Buffer.from([5, 1, 0]));
  else s.write(payload);
});
s.on('data', (d) => {
  got = Buffer.concat([got, d]);
  if (stage === 'hello' && got.length >= 2) {
    if (got[0] !== 5 || got[1] !== 0) { console.log(JSON.stringify({ socks: 'no-auth refused', reply: [...got] })); process.exit(1); }
    got = got.subarray(2);
    const a = thost.split('.').map(Number);
    s.write(Buffer.from([5, 1, 0, 1, ...a, tport >> 8, tport & 255]));
    stage = 'connect';
  }
  if (stage === 'connect' && got.length >= 10) {
    if (got[1] !== 0) { console.log(JSON.stringify({ socks: 'connect failed', reply: got[1] })); process.exit(1); }
    got = got.subarray(10);
    stage = 'data';
    s.write(payload);
  }
  if (stage === 'data' && got.length === greet.length + size) {
    clearTimeout(timer);
    const ok = got.subarray(0, greet.length).toString() === greet && got.subarray(greet.length).equals(payload);
    console.log(JSON.stringify({ greeting: got.subarray(0, greet.length).toString(), bytes: got.length - greet.length, equal: ok }));
    s.end();
  }
});
s.on('error', (e) => { console.log(JSON.stringify({ error: e.code || e.message })); process.exit(1); });
`;

interface EchoResult {
  greeting?: string;
  bytes?: number;
  equal?: boolean;
}

/** Starts `tether ...argv` in the background in the client ns; killed (by PID) after the test. */
function startTether(lab: Lab, t: TestContext, home: string, argv: string[]): { child: ChildProcess; stderr: () => string } {
  const child = lab.spawnInClient(process.execPath, [TETHER_BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv(home) });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  t.after(() => child.kill('SIGKILL'));
  return { child, stderr: () => err };
}

/** Ends a background tether by PID with SIGTERM and waits for it. */
async function stopTether(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  assert.ok(child.pid !== undefined);
  process.kill(child.pid, 'SIGTERM');
  return waitForExit(child, 10_000);
}

/** Polls until `connect` (a function that resolves true once a TCP connect works) says yes. */
async function waitListening(connect: () => Promise<boolean>, what: string): Promise<void> {
  await waitUntil(connect, what, 15_000, 200);
}

const canConnect = (lab: Lab, home: string, port: number, ns: 'client' | 'server') => async (): Promise<boolean> => {
  const js = `require('net').connect(${port}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
  if (ns === 'client') return (await runInClient(lab, home, process.execPath, ['-e', js])).code === 0;
  return (await lab.execInServer(process.execPath, ['-e', js])).code === 0;
};

test('-R, -D and -A against the real sshd', { timeout: 120_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const home = tempDir(t, 'fwd');
  const size = 1024 * 1024;

  await t.test('-R: a server-side 127.0.0.1 port reaches a client-side echo service, bytes both ways', async (st) => {
    const [clientPort, serverPort] = [47101, 47102];
    const echo = lab.spawnInClient(process.execPath, ['-e', ECHO_SERVER, String(clientPort), '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    st.after(() => echo.kill('SIGKILL'));
    await waitForOutput(echo, /listening/, 10_000);
    const argv = [...keyOptions(lab), '-N', '-R', `127.0.0.1:${serverPort}:127.0.0.1:${clientPort}`, dest(lab)];
    const tether = startTether(lab, st, home, argv);
    await waitListening(canConnect(lab, home, serverPort, 'server'), `sshd to listen on 127.0.0.1:${serverPort} for tether's -R`);
    const r = await lab.execInServer(process.execPath, ['-e', ECHO_CLIENT, String(serverPort), String(size)], { timeoutMs: 30_000 });
    st.diagnostic(`[foundation] -R: tether ${argv.join(' ')}; server-side client printed ${r.stdout.trim()}`);
    const res = JSON.parse(r.stdout) as EchoResult;
    assert.deepEqual(res, { greeting: 'hello-from-echo\n', bytes: size, equal: true }, tether.stderr());
    const exit = await stopTether(tether.child);
    assert.ok(exit.code === 255 || exit.signal === 'SIGTERM', JSON.stringify(exit));
  });

  await t.test('-D: SOCKS5 on the client reaches a server-side 127.0.0.1 port, bytes both ways', async (st) => {
    const [serverPort, socksPort] = [47103, 47104];
    const echo = lab.spawnInServer(process.execPath, ['-e', ECHO_SERVER, String(serverPort), '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    st.after(() => echo.kill('SIGKILL'));
    await waitForOutput(echo, /listening/, 10_000);
    const argv = [...keyOptions(lab), '-N', '-D', `127.0.0.1:${socksPort}`, dest(lab)];
    const tether = startTether(lab, st, home, argv);
    await waitListening(canConnect(lab, home, socksPort, 'client'), `tether to listen on 127.0.0.1:${socksPort} (-D)`);
    const r = await runInClient(lab, home, process.execPath, ['-e', ECHO_CLIENT, String(socksPort), String(size), 'socks', '127.0.0.1', String(serverPort)], { timeoutMs: 30_000 });
    st.diagnostic(`[foundation] -D: tether ${argv.join(' ')}; SOCKS5 client printed ${r.stdout.toString().trim()}`);
    const res = JSON.parse(r.stdout.toString()) as EchoResult;
    assert.deepEqual(res, { greeting: 'hello-from-echo\n', bytes: size, equal: true }, tether.stderr());
    const exit = await stopTether(tether.child);
    assert.ok(exit.code === 255 || exit.signal === 'SIGTERM', JSON.stringify(exit));
  });

  await t.test('-A: the remote side sees the local agent and its key', async (st) => {
    const dir = tempDir(st, 'agent');
    const sock = join(dir, 'agent.sock');
    const key = await lab.generateClientKey({ authorize: false });
    await startAgent(st, lab, home, sock, key.privatePath);
    const comment = key.publicKey.split(' ')[2] ?? '';
    const argv = [...keyOptions(lab), '-A', dest(lab), 'ssh-add -L; sleep 0.1'];
    const r = await tetherInClient(lab, home, argv, { env: { SSH_AUTH_SOCK: sock } });
    report(st, 'agent forwarding', argv, r);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString().trim(), key.publicKey.trim(), `the forwarded agent lists ${comment}`);
    const without = [...keyOptions(lab), '-a', dest(lab), 'ssh-add -L; echo "status=$?"'];
    const r2 = await tetherInClient(lab, home, without, { env: { SSH_AUTH_SOCK: sock } });
    report(st, 'no agent forwarding (-a)', without, r2);
    assert.equal(r2.code, 0, r2.stderr);
    assert.match(r2.stdout.toString(), /status=2\n$/, 'no agent remotely without -A');
  });
});
