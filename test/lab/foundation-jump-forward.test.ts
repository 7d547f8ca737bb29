// ProxyJump over two hops and a -L forward carrying data both ways, against the real sshd. The lab has one server:
// sshd also listens on 127.0.0.1 there, so `-J 198.18.2.2,127.0.0.1 198.18.2.2` makes three SSH connections to it,
// each from a different source address (the client, then the server's loopback, then the server's own address).
// (The destination cannot be 127.0.0.1 again: OpenSSH, and tether with it, refuse that as "jumphost loop via".)
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TETHER_BIN, cleanEnv, dest, keyOptions, report, runInClient, sshInClientRaw, tempDir, tetherInClient } from '../helpers/foundation.js';
import { ECHO_CLIENT, ECHO_SERVER } from './fixtures/echo.js';
import { startLab, waitForExit, waitForOutput, waitUntil } from './index.js';
import type { Lab } from './index.js';

/** An ssh_config for every hop (ssh passes only -F to the jump connections): key, known_hosts for both addresses. */
function hopConfig(lab: Lab, dir: string): string {
  const kh = join(dir, 'known_hosts');
  writeFileSync(kh, lab.knownHostsLine() + lab.knownHostsLine('127.0.0.1'));
  // (198.18.2.2 is both hop 1 and the destination: one entry serves both)
  const cfg = join(dir, 'ssh_config');
  writeFileSync(
    cfg,
    [
      'Host *',
      `  IdentityFile ${lab.clientKey.privatePath}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${kh}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '  UpdateHostKeys no',
      '  BatchMode yes',
      '  ConnectTimeout 10',
      '',
    ].join('\n'),
  );
  return cfg;
}

/** Counts sshd's "Accepted publickey for tetherlab from ADDR" lines. */
function acceptedFrom(log: string, addr: string): number {
  return log.split('\n').filter((l) => l.includes(`Accepted publickey for tetherlab from ${addr} `)).length;
}


test('ProxyJump over two hops and a -L forward, against the real sshd', { timeout: 120_000 }, async (t) => {
  const lab = await startLab(t, { sshdOptions: ['ListenAddress 127.0.0.1'] });
  if (!lab) return;
  const home = tempDir(t, 'jump');

  await t.test('-J hop1,hop2 dest: three connections, the command runs on the last', async (st) => {
    const cfg = hopConfig(lab, tempDir(st, 'jumpcfg'));
    const argv = ['-F', cfg, '-J', `${lab.user}@${lab.serverAddr},${lab.user}@127.0.0.1`, dest(lab), 'echo "via:${SSH_CONNECTION%% *}"; sleep 0.1'];
    const mark = lab.sshdLog().length;
    const r = await tetherInClient(lab, home, argv);
    report(st, 'two-hop ProxyJump', argv, r);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), `via:${lab.serverAddr}\n`, 'the command ran on the destination, reached from the server itself (hop 2)');
    const log = lab.sshdLog().slice(mark);
    const counts = [lab.clientAddr, '127.0.0.1', lab.serverAddr].map((a) => acceptedFrom(log, a));
    st.diagnostic(`[foundation] sshd accepted publickey from ${lab.clientAddr}/127.0.0.1/${lab.serverAddr}: ${counts.join('/')}`);
    assert.deepEqual(counts, [1, 1, 1], 'hop 1 from the client, hop 2 through hop 1 (loopback), the destination through hop 2');

    // OpenSSH with the same argv prints the same
    const ssh = await sshInClientRaw(lab, home, argv);
    assert.equal(ssh.code, 0, ssh.stderr);
    assert.equal(ssh.stdout.toString(), r.stdout.toString());

    // the last hop as the destination is refused before any connection, as OpenSSH does
    const loop = ['-F', cfg, '-J', `${lab.user}@${lab.serverAddr},${lab.user}@127.0.0.1`, `${lab.user}@127.0.0.1`, 'true'];
    const tl = await tetherInClient(lab, home, loop);
    const sl = await sshInClientRaw(lab, home, loop);
    report(st, 'jump loop', loop, tl);
    assert.deepEqual([tl.code, tl.stderr.trim()], [sl.code, sl.stderr.trim()], 'same status and message as OpenSSH');
    assert.equal(tl.stderr.trim(), 'jumphost loop via 127.0.0.1');
  });

  await t.test('-N -L carries bytes both ways to a server-side 127.0.0.1 port', async (st) => {
    const remotePort = 47001;
    const localPort = 47002;
    const echo = lab.spawnInServer(process.execPath, ['-e', ECHO_SERVER, String(remotePort)], { stdio: ['ignore', 'pipe', 'pipe'] });
    st.after(() => echo.kill('SIGKILL'));
    await waitForOutput(echo, /listening/, 10_000);

    const argv = [...keyOptions(lab), '-N', '-L', `127.0.0.1:${localPort}:127.0.0.1:${remotePort}`, dest(lab)];
    const tether = lab.spawnInClient(process.execPath, [TETHER_BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv(home) });
    let stderr = '';
    tether.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    st.after(() => tether.kill('SIGKILL'));
    await waitUntil(
      async () => (await runInClient(lab, home, process.execPath, ['-e', `require('net').connect(${localPort}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`])).code === 0,
      `tether to listen on 127.0.0.1:${localPort} (stderr: ${stderr})`,
      15_000,
      200,
    );
    const size = 4 * 1024 * 1024;
    const r = await runInClient(lab, home, process.execPath, ['-e', ECHO_CLIENT, String(localPort), String(size)], { timeoutMs: 30_000 });
    st.diagnostic(`[foundation] -L: tether ${argv.join(' ')} (pid ${tether.pid}); client through 127.0.0.1:${localPort} printed ${r.stdout.toString().trim()}`);
    assert.equal(r.code, 0, `${r.stdout.toString()} ${r.stderr}`);
    const res = JSON.parse(r.stdout.toString()) as { greeting: string; bytes: number; equal: boolean };
    assert.equal(res.greeting, 'hello-from-server\n', 'server -> client bytes arrived');
    assert.equal(res.bytes, size, 'every byte came back');
    assert.equal(res.equal, true, 'client -> server -> client bytes identical');

    assert.ok(tether.pid !== undefined);
    process.kill(tether.pid, 'SIGTERM');
    const exit = await waitForExit(tether, 10_000);
    st.diagnostic(`[foundation] -L: tether after SIGTERM: ${JSON.stringify(exit)}; stderr ${JSON.stringify(stderr)}`);
    assert.ok(exit.code === 255 || exit.signal === 'SIGTERM', `ended as ssh does on SIGTERM (255 or the signal): ${JSON.stringify(exit)}`);
    const after = await runInClient(lab, home, process.execPath, ['-e', `require('net').connect(${localPort}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', (e) => { console.log(e.code); process.exit(1); })`]);
    assert.equal(after.stdout.toString().trim(), 'ECONNREFUSED', 'the local listener is gone with tether');
  });
});
