// An established Link: keep-alive pings, a stalled server, resets and clean ends, sessions, and the TCP probe.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { TetherError, errorCode } from '../../src/common/errors.js';
import { connect } from '../../src/transport/connect.js';
import type { Link } from '../../src/transport/link.js';
import { ping } from '../../src/transport/ping.js';
import { tcpProbe } from '../../src/transport/probe.js';
import { openExec, openShell, openSubsystem, sessionEnv } from '../../src/transport/session.js';
import type { TestServer } from '../helpers/ssh-server.js';
import { ScriptedPrompter, makeKeyPair, startTestServer, testConfig } from '../helpers/ssh-server.js';

const dir = mkdtempSync(join(tmpdir(), 'tether-link-'));
const userKey = makeKeyPair();
writeFileSync(join(dir, 'id'), userKey.private, { mode: 0o600 });
let server: TestServer;

async function open(): Promise<Link> {
  return connect({ config: testConfig(server, dir, { identityFiles: [join(dir, 'id')] }), prompter: new ScriptedPrompter() });
}

function closed(link: Link): Promise<TetherError | undefined> {
  return new Promise((resolve) => link.onClose(resolve));
}

async function readAll(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

before(async () => {
  server = await startTestServer({ publicKeys: [userKey.public] });
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('keep-alive ping', () => {
  test('ping returns a round-trip time (the server answers keepalive@openssh.com)', async () => {
    const link = await open();
    try {
      const rtts = [await ping(link, 2000), await ping(link, 2000), await ping(link, 2000)];
      for (const rtt of rtts) assert.ok(Number.isFinite(rtt) && rtt >= 0);
    } finally {
      link.dispose();
    }
  });

  test('a stalled server makes ping time out with kind link and ETIMEDOUT; the link stays open', async () => {
    const link = await open();
    try {
      server.stallAll();
      const err = await ping(link, 300).then(
        () => assert.fail('ping must not succeed against a stalled server'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof TetherError && err.kind === 'link');
      assert.equal(errorCode(err), 'ETIMEDOUT');
      assert.equal(err.message, 'Timeout, server 127.0.0.1 not responding.');
      assert.equal(link.closed, false);
    } finally {
      link.dispose();
    }
  });

  test('a ping without a timeout waits; the link dying rejects it with the close reason; bytes are reported', async () => {
    const link = await open();
    let received = 0;
    link.onReceive((n) => (received += n));
    assert.ok((await ping(link, 0)) >= 0);
    assert.ok(received > 0, 'the reply was seen as inbound bytes');
    server.stallAll();
    const pending = ping(link, Infinity);
    server.resetAll();
    await assert.rejects(pending, (e: unknown) => e instanceof TetherError && e.kind === 'link' && errorCode(e) === 'ECONNRESET');
  });

  test('ping on a closed link rejects at once with the close reason', async () => {
    const link = await open();
    const done = closed(link);
    server.resetAll();
    await done;
    await assert.rejects(ping(link, 1000), (e: unknown) => e instanceof TetherError && e.kind === 'link');
  });
});

describe('link close', () => {
  test('reset mid-session: the close event carries kind link and ECONNRESET', async () => {
    const link = await open();
    const done = closed(link);
    server.resetAll();
    const err = await done;
    assert.ok(err instanceof TetherError);
    assert.equal(err.kind, 'link');
    assert.equal(errorCode(err), 'ECONNRESET');
    assert.equal(err.message, `Connection reset by 127.0.0.1 port ${server.port}`);
    assert.equal(err.fatal, false);
    assert.equal(link.closeError, err);
  });

  test('a clean end from the server: kind link, EOF', async () => {
    const link = await open();
    const done = closed(link);
    server.endAll();
    const err = await done;
    assert.equal(err?.kind, 'link');
    assert.equal(errorCode(err), 'EOF');
    assert.equal(err?.message, `Connection closed by 127.0.0.1 port ${server.port}`);
  });

  test('dispose: listeners hear undefined (our own close), late listeners too', async () => {
    const link = await open();
    const done = closed(link);
    link.dispose();
    assert.equal(await done, undefined);
    assert.equal(await closed(link), undefined);
    assert.equal(link.closed, true);
  });
});

describe('sessions', () => {
  test('exec: stdout, stderr and the exit status of a real command', async () => {
    const link = await open();
    try {
      const s = await openExec(link, 'echo out; echo err >&2; exit 7');
      s.stdin.end();
      const [out, err, exit] = await Promise.all([readAll(s.stdout), readAll(s.stderr), s.exit]);
      assert.equal(out, 'out\n');
      assert.equal(err, 'err\n');
      assert.deepEqual(exit, { code: 7 });
    } finally {
      link.dispose();
    }
  });

  test('exec: stdin reaches the command; a signal death is reported', async () => {
    const link = await open();
    try {
      const s = await openExec(link, 'cat');
      s.stdin.end('hello through ssh\n');
      assert.equal(await readAll(s.stdout), 'hello through ssh\n');
      assert.deepEqual(await s.exit, { code: 0 });
      const k = await openExec(link, 'kill -TERM $$');
      k.stdin.end();
      k.stdout.resume();
      assert.equal((await k.exit).signal, 'TERM');
    } finally {
      link.dispose();
    }
  });

  test('shell with a pty, env (SendEnv patterns + SetEnv) and window changes', async () => {
    const link = await open();
    try {
      const cfg = testConfig(server, dir, { sendEnv: ['LANG LC_*', '-LC_SECRET'], setEnv: { FOO: 'bar' } });
      const env = sessionEnv(cfg, { LANG: 'C.UTF-8', LC_ALL: 'C', LC_SECRET: 'x', HOME: '/root' });
      assert.deepEqual(env, { LANG: 'C.UTF-8', LC_ALL: 'C', FOO: 'bar' });
      const s = await openShell(link, { pty: { term: 'xterm-256color', rows: 40, cols: 100 }, env });
      s.resize(50, 120);
      s.stdin.end('echo "$FOO"; exit 3\n');
      const out = await readAll(s.stdout);
      assert.match(out, /bar/);
      assert.deepEqual(await s.exit, { code: 3 });
      const rec = server.sessions[server.sessions.length - 1];
      assert.equal(rec?.pty?.term, 'xterm-256color');
      assert.equal(rec?.pty?.rows, 40);
      assert.deepEqual(rec?.windowChanges, [{ rows: 50, cols: 120 }]);
      assert.equal(rec?.env.FOO, 'bar');
    } finally {
      link.dispose();
    }
  });
});

describe('subsystems', () => {
  test('a subsystem runs; an unknown one is refused with kind remote', async () => {
    const link = await open();
    try {
      const s = await openSubsystem(link, 'echo');
      s.stdin.end('through a subsystem');
      assert.equal(await readAll(s.stdout), 'through a subsystem');
      assert.deepEqual(await s.exit, { code: 0 });
      await assert.rejects(openSubsystem(link, 'nope'), (e: unknown) => e instanceof TetherError && e.kind === 'remote');
    } finally {
      link.dispose();
    }
  });
});

describe('tcpProbe', () => {
  test('open with the banner; closed before banner; refused', async () => {
    const open1 = await tcpProbe('127.0.0.1', server.port, 2000);
    assert.equal(open1.outcome, 'open');
    assert.match(open1.banner ?? '', /^SSH-2\.0-/);
    server.behaviour = 'close-before-banner';
    try {
      assert.equal((await tcpProbe('127.0.0.1', server.port, 2000)).outcome, 'closed-before-banner');
      server.behaviour = 'reset-before-banner';
      const reset = await tcpProbe('127.0.0.1', server.port, 2000);
      assert.equal(reset.outcome, 'closed-before-banner');
      assert.equal(reset.errno, 'ECONNRESET');
      server.behaviour = 'silent';
      const silent = await tcpProbe('127.0.0.1', server.port, 200);
      assert.equal(silent.outcome, 'open');
      assert.equal(silent.banner, undefined);
    } finally {
      server.behaviour = 'normal';
    }
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const { port } = s.address() as AddressInfo;
    await new Promise<void>((r) => s.close(() => r()));
    assert.deepEqual(await tcpProbe('127.0.0.1', port, 2000), { outcome: 'refused', errno: 'ECONNREFUSED' });
  });

  test('keep: the probe\'s socket, banner read, carries a whole SSH link (no second connect); unused, it closes itself', async () => {
    const probe = await tcpProbe('127.0.0.1', server.port, 2000, { keep: true, keepMs: 5000 });
    assert.equal(probe.outcome, 'open');
    assert.ok(probe.socket && probe.head);
    assert.match(probe.head.toString('latin1'), /^SSH-2\.0-/);
    const config = testConfig(server, dir, { identityFiles: [join(dir, 'id')] });
    const link = await connect({ config, prompter: new ScriptedPrompter(), opened: { socket: probe.socket, head: probe.head, address: '127.0.0.1' } });
    try {
      const s = await openExec(link, 'echo over-the-probe');
      assert.equal(await readAll(s.stdout), 'over-the-probe\n');
      assert.equal(link.timing.tcpConnectMs, 0);
    } finally {
      link.dispose();
    }
    const idle = await tcpProbe('127.0.0.1', server.port, 2000, { keep: true, keepMs: 100 });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(idle.socket?.destroyed, true);
  });
});
