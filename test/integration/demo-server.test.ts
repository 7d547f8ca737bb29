// The embedded demo server is a real SSH peer: the real OpenSSH client runs commands on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoServer } from '../../src/cli/demo/server.js';
import { startFaultProxy } from '../../src/cli/demo/fault-proxy.js';
import { parseServerFacts } from '../../src/remote/evidence-parse.js';
import { fastEvidenceCommand, slowEvidenceCommand } from '../../src/remote/evidence-script.js';

function ssh(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('ssh', args, { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

test('OpenSSH runs a command on the demo server, through the fault proxy, and sees its status', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-demo-'));
  const server = await startDemoServer({ env: { PATH: process.env.PATH, HOME: dir }, shell: '/bin/sh' });
  const proxy = await startFaultProxy(server.port);
  t.after(async () => {
    await proxy.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(join(dir, 'id'), server.clientPrivateKey, { mode: 0o600 });
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${proxy.port} ${server.hostKeyLine}\n`);
  const base = [
    '-F', '/dev/null', '-i', join(dir, 'id'), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
    '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=yes',
    '-p', String(proxy.port), 'demo@127.0.0.1',
  ];
  const r = await ssh([...base, 'echo hi; echo err >&2; exit 3']);
  assert.equal(r.stdout, 'hi\n');
  assert.equal(r.stderr, 'err\n');
  assert.equal(r.code, 3);

  proxy.inject('refuse');
  const refused = await ssh([...base, 'true']);
  assert.equal(refused.code, 255);
  assert.match(refused.stderr, /Connection reset|Connection refused|Connection closed/);
  proxy.heal();
  // healing re-opens the listening port: give it a moment
  let again = await ssh([...base, 'echo back']);
  for (let i = 0; i < 20 && again.stdout !== 'back\n'; i++) {
    await new Promise((r) => setTimeout(r, 200));
    again = await ssh([...base, 'echo back']);
  }
  assert.equal(again.stdout, 'back\n');
});

test("the demo server answers tether's evidence scripts with its own listener and journal, also after a restart", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-demo-'));
  const server = await startDemoServer({ env: { PATH: process.env.PATH, HOME: dir }, shell: '/bin/sh' });
  t.after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(join(dir, 'id'), server.clientPrivateKey, { mode: 0o600 });
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${server.port} ${server.hostKeyLine}\n`);
  const base = [
    '-F', '/dev/null', '-i', join(dir, 'id'), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
    '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=yes',
    '-p', String(server.port), 'demo@127.0.0.1',
  ];
  const first = parseServerFacts((await ssh([...base, fastEvidenceCommand()])).stdout);
  assert.equal(first.complete, true);
  assert.equal(first.sshdMasterPid, process.pid, 'the listener is the demo server, not this machine\'s sshd');
  server.stop();
  await new Promise((r) => setTimeout(r, 1100));
  server.start();
  const after = parseServerFacts((await ssh([...base, fastEvidenceCommand()])).stdout);
  assert.ok((after.sshdMasterStart ?? 0) > (first.sshdMasterStart ?? Infinity), 'a new start time after the restart');
  const slow = parseServerFacts((await ssh([...base, slowEvidenceCommand({ sinceEpoch: (first.nowEpoch ?? 0) - 5 })])).stdout);
  assert.equal(slow.journalStatus, 'ok');
  assert.ok(slow.journal.some((l) => /Received signal 15; terminating/.test(l)), slow.journal.join('\n'));
});
