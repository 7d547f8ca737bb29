// Port forwards: -L carries data both ways and survives a reconnect, -D speaks SOCKS5/4a, -R, bind failures.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as netConnect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { TetherError } from '../../src/common/errors.js';
import { connect } from '../../src/transport/connect.js';
import type { Link } from '../../src/transport/link.js';
import { startDynamicForward } from '../../src/transport/forward-dynamic.js';
import { startLocalForward } from '../../src/transport/forward-local.js';
import { startRemoteForward } from '../../src/transport/forward-remote.js';
import type { TestServer } from '../helpers/ssh-server.js';
import { ScriptedPrompter, makeKeyPair, startTestServer, testConfig } from '../helpers/ssh-server.js';

const dir = mkdtempSync(join(tmpdir(), 'tether-fwd-'));
const userKey = makeKeyPair();
writeFileSync(join(dir, 'id'), userKey.private, { mode: 0o600 });
let server: TestServer;
let echo: Server;
let echoPort: number;

const open = (): Promise<Link> =>
  connect({ config: testConfig(server, dir, { identityFiles: [join(dir, 'id')] }), prompter: new ScriptedPrompter() });

/** Connects, writes `data`, and resolves with what came back once `expect` bytes arrived. */
function roundTrip(port: number, data: Buffer | string, expect: number, prefix?: Buffer, host = '127.0.0.1'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = netConnect(port, host);
    let got = Buffer.alloc(0);
    s.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c]);
      if (got.length >= expect) {
        s.destroy();
        resolve(got);
      }
    });
    s.on('error', reject);
    s.on('close', () => resolve(got));
    if (prefix) s.write(prefix);
    s.write(data);
  });
}

before(async () => {
  server = await startTestServer({ publicKeys: [userKey.public] });
  // An echo server that prefixes what it echoes, so both directions are visible.
  echo = createServer((s: Socket) => {
    s.on('data', (c: Buffer) => s.write(Buffer.concat([Buffer.from('echo:'), c])));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as AddressInfo).port;
});
after(async () => {
  await server.close();
  await new Promise<void>((r) => echo.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('-L', () => {
  test('carries data both ways', async () => {
    const link = await open();
    const p = new ScriptedPrompter();
    const fwd = await startLocalForward({ bindPort: 0, hostAddress: '127.0.0.1', hostPort: echoPort }, () => link, { prompter: p, exitOnForwardFailure: false });
    try {
      assert.ok(fwd?.port);
      const got = await roundTrip(fwd.port, 'ping', 9);
      assert.equal(got.toString(), 'echo:ping');
      // ssh listens on both loopbacks for an unspecified bind address.
      assert.equal((await roundTrip(fwd.port, 'six', 8, undefined, '::1')).toString(), 'echo:six');
    } finally {
      fwd?.dispose();
      link.dispose();
    }
  });

  test('the listener survives a reconnect: a connection during the outage waits for the next link', async () => {
    let current: Link | Promise<Link> | undefined = await open();
    const fwd = await startLocalForward({ bindPort: 0, hostAddress: '127.0.0.1', hostPort: echoPort }, () => current, {
      prompter: new ScriptedPrompter(),
      exitOnForwardFailure: false,
    });
    try {
      assert.ok(fwd?.port);
      assert.equal((await roundTrip(fwd.port, 'one', 8)).toString(), 'echo:one');
      (current as Link).dispose();
      let resolveNext!: (l: Link) => void;
      current = new Promise<Link>((r) => (resolveNext = r));
      const during = roundTrip(fwd.port, 'two', 8);
      const next = await open();
      resolveNext(next);
      current = next;
      assert.equal((await during).toString(), 'echo:two');
      assert.equal((await roundTrip(fwd.port, 'three', 10)).toString(), 'echo:three');
      next.dispose();
      current = undefined;
      assert.equal((await roundTrip(fwd.port, 'four', 1)).length, 0, 'no link: closed cleanly');
    } finally {
      fwd?.dispose();
    }
  });

  test('bind failure: ssh\'s two lines, or an error with ExitOnForwardFailure', async () => {
    const link = await open();
    const p = new ScriptedPrompter();
    const busy = (echo.address() as AddressInfo).port;
    try {
      const fwd = await startLocalForward({ bindPort: busy, hostPort: 1 }, () => link, { prompter: p, exitOnForwardFailure: false });
      assert.equal(fwd, undefined);
      assert.deepEqual(p.infos.slice(0, 2), [
        `bind [127.0.0.1]:${busy}: Address already in use`,
        `channel_setup_fwd_listener_tcpip: cannot listen to port: ${busy}`,
      ]);
      await assert.rejects(
        startLocalForward({ bindPort: busy, hostPort: 1 }, () => link, { prompter: p, exitOnForwardFailure: true }),
        (e: unknown) => e instanceof TetherError && e.fatal,
      );
    } finally {
      link.dispose();
    }
  });
});

describe('-D', () => {
  test('SOCKS5 CONNECT by IP and by name, and SOCKS4a', async () => {
    const link = await open();
    const fwd = await startDynamicForward({ bindPort: 0 }, () => link, { prompter: new ScriptedPrompter(), exitOnForwardFailure: false });
    try {
      assert.ok(fwd?.port);
      const port = Buffer.alloc(2);
      port.writeUInt16BE(echoPort);
      const v5ip = Buffer.concat([Buffer.from([5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1]), port]);
      const got = await roundTrip(fwd.port, 'hi', 2 + 10 + 7, v5ip);
      assert.deepEqual([...got.subarray(0, 4)], [5, 0, 5, 0]);
      assert.equal(got.subarray(12).toString(), 'echo:hi');
      const name = Buffer.from('localhost');
      const v5name = Buffer.concat([Buffer.from([5, 1, 0, 5, 1, 0, 3, name.length]), name, port]);
      assert.equal((await roundTrip(fwd.port, 'yo', 19, v5name)).subarray(12).toString(), 'echo:yo');
      const v4a = Buffer.concat([Buffer.from([4, 1]), port, Buffer.from([0, 0, 0, 1, 0]), name, Buffer.from([0])]);
      const got4 = await roundTrip(fwd.port, 'x', 8 + 6, v4a);
      assert.equal(got4[1], 0x5a);
      assert.equal(got4.subarray(8).toString(), 'echo:x');
    } finally {
      fwd?.dispose();
      link.dispose();
    }
  });

  test('SOCKS5 BIND is refused with "command not supported"', async () => {
    const link = await open();
    const fwd = await startDynamicForward({ bindPort: 0 }, () => link, { prompter: new ScriptedPrompter(), exitOnForwardFailure: false });
    try {
      assert.ok(fwd?.port);
      const got = await roundTrip(fwd.port, '', 12, Buffer.from([5, 1, 0, 5, 2, 0, 1, 127, 0, 0, 1, 0, 80]));
      assert.equal(got[3], 7);
    } finally {
      fwd?.dispose();
      link.dispose();
    }
  });
});

describe('-R', () => {
  test('the server listens; its connections reach the local target', async () => {
    const link = await open();
    const p = new ScriptedPrompter();
    try {
      const fwd = await startRemoteForward(link, { bindPort: 0, hostAddress: '127.0.0.1', hostPort: echoPort }, { prompter: p, exitOnForwardFailure: false });
      assert.ok(fwd && fwd.port > 0);
      assert.deepEqual(p.infos, [`Allocated port ${fwd.port} for remote forward to 127.0.0.1:${echoPort}`]);
      assert.equal((await roundTrip(fwd.port, 'back', 9)).toString(), 'echo:back');
      fwd.dispose();
    } finally {
      link.dispose();
    }
  });
});
