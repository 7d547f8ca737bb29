// The fault lab proved with the real OpenSSH client: each fault does what tether's diagnosis expects of it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { collect, reapStaleLabs, sleep, waitUntil, spawnSshInClient, sshInClient, startLab, waitForExit, waitForOutput } from './index.js';
import type { Lab } from './index.js';
import { run } from './run.js';
import { TIME_NS } from './server.js';

const BOOT_ID = ['cat', '/proc/sys/kernel/random/boot_id'];

async function ping(lab: Lab): Promise<number | null> {
  return (await lab.execInClient('ping', ['-c', '1', '-W', '1', lab.serverAddr])).code;
}

/** An open ssh session running `cat`: what we write comes back while the link is alive. */
async function catSession(lab: Lab, extra: Record<string, string> = {}) {
  const ssh = spawnSshInClient(lab, ['cat'], { options: extra });
  const out = collect(ssh);
  ssh.stdin?.write('hello\n');
  await waitForOutput(ssh, /hello/);
  return { ssh, out };
}

test('key login runs a command; the fake boot_id is what the session sees', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const r = await sshInClient(lab, ['echo', 'ok;', ...BOOT_ID]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `ok\n${lab.bootId}\n`);
  const pidFile = await sshInClient(lab, ['cat', '/run/sshd.pid']);
  assert.equal(Number(pidFile.stdout), lab.sshdMasterPid(), 'the session sees the lab master in /run/sshd.pid');
  assert.notEqual(lab.bootId, readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
});

test('password login works; a wrong password and a revoked key do not', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const ok = await sshInClient(lab, ['echo', 'pw'], { password: lab.password });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'pw\n');
  const bad = await sshInClient(lab, ['true'], { password: 'not-the-password' });
  assert.equal(bad.code, 255);
  assert.match(bad.stderr, /Permission denied/);
  await lab.setPassword('n3w-password');
  assert.equal((await sshInClient(lab, ['true'], { password: 'n3w-password' })).code, 0);
  lab.revokeKey(lab.clientKey);
  const revoked = await sshInClient(lab, ['true']);
  assert.equal(revoked.code, 255);
  assert.match(revoked.stderr, /Permission denied/);
});

test('an encrypted client key needs its passphrase', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const key = await lab.generateClientKey({ passphrase: 'secret phrase' });
  assert.notEqual((await run('ssh-keygen', ['-y', '-P', '', '-f', key.privatePath])).code, 0);
  const pub = await run('ssh-keygen', ['-y', '-P', 'secret phrase', '-f', key.privatePath]);
  assert.equal(pub.stdout.trim().split(' ')[1], key.publicKey.split(' ')[1]);
});

test('reboot: new boot_id over ssh, tmux sessions gone, new sshd master', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const before = lab.bootId;
  const masterBefore = lab.sshdMasterPid();
  assert.equal((await sshInClient(lab, ['tmux', 'new-session', '-d', '-s', 'work'])).code, 0);
  assert.deepEqual(await lab.tmuxSessions(), ['work']);
  const { ssh, out } = await catSession(lab);
  const after = await lab.reboot();
  assert.equal((await waitForExit(ssh)).code, 255, 'the open session is closed by the dying server');
  assert.match(out.stderr(), /closed by remote host|Connection reset/);
  assert.notEqual(after, before);
  const r = await sshInClient(lab, [...BOOT_ID, ';', 'cut', '-d.', '-f1', '/proc/uptime']);
  const [seenBoot, uptime] = r.stdout.trim().split('\n');
  assert.equal(seenBoot, after, r.stderr);
  if (TIME_NS) assert.ok(Number(uptime) <= Number(readFileSync('/proc/uptime', 'utf8').split('.')[0]), `server uptime ${uptime} after reboot`);
  assert.deepEqual(await lab.tmuxSessions(), []);
  assert.notEqual(lab.sshdMasterPid(), masterBefore);
});

test('reboot({ hard: true }): an open session hears nothing, then is reset when it sends', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const { ssh, out } = await catSession(lab);
  await lab.reboot({ hard: true });
  await sleep(500); // long enough for a FIN to arrive, if one had been sent
  assert.equal(ssh.exitCode, null, 'no FIN reached the client: ' + out.stderr());
  ssh.stdin?.write('after the crash\n');
  assert.equal((await waitForExit(ssh)).code, 255);
  assert.match(out.stderr(), /Connection reset by peer|Broken pipe/);
  assert.equal((await sshInClient(lab, BOOT_ID)).stdout.trim(), lab.bootId);
});

test("blockPort('rst'): connects are refused at once while ping still answers", async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  await lab.blockPort('rst');
  const r = await sshInClient(lab, ['true'], { options: { ConnectTimeout: '2' } });
  assert.equal(r.code, 255);
  assert.match(r.stderr, /Connection refused|Connection reset/);
  assert.equal(await ping(lab), 0);
  await lab.unblockPort();
  assert.equal((await sshInClient(lab, ['true'])).code, 0);
});

test("blockPort('rst') resets an established session", async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const { ssh, out } = await catSession(lab);
  await lab.blockPort('rst');
  ssh.stdin?.write('again\n');
  const end = await waitForExit(ssh);
  assert.equal(end.code, 255);
  assert.match(out.stderr(), /Connection reset|Broken pipe/);
});

test("blockPort('drop'): connects time out while ping and another port still answer", async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  await lab.openPort(80);
  await lab.blockPort('drop');
  const r = await sshInClient(lab, ['true'], { options: { ConnectTimeout: '2' } });
  assert.equal(r.code, 255);
  assert.match(r.stderr, /timed out/);
  assert.equal(await ping(lab), 0);
  const other = await lab.execInClient('bash', ['-c', `exec 3<>/dev/tcp/${lab.serverAddr}/80 && head -1 <&3`], { timeoutMs: 5000 });
  assert.equal(other.stdout, 'tether-lab\n', 'another port still answers');
});

test("idleTimeout(3, 'rst'): an idle session is reset on its next packet; a new connection works", async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  await lab.idleTimeout(3, 'rst');
  const { ssh, out } = await catSession(lab);
  await sleep(5000); // outlast the firewall's 3 s idle timeout
  ssh.stdin?.write('after the silence\n');
  const end = await waitForExit(ssh);
  assert.equal(end.code, 255);
  // OpenSSH 9.2 reports the reset as EPIPE when it meets it on a write, ECONNRESET on a read
  assert.match(out.stderr(), /Connection reset by peer|Broken pipe/);
  assert.doesNotMatch(out.stdout(), /after the silence/);
  assert.ok((await lab.firewall.invalidPackets()) > 0, await lab.firewall.dump());
  const fresh = await sshInClient(lab, ['echo', 'fresh']);
  assert.equal(fresh.stdout, 'fresh\n', fresh.stderr);
});

test("idleTimeout(3, 'drop'): the first packet after the silence is dropped; the client times out", async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  // few retransmissions in the client ns, so the kernel gives up in seconds rather than ~15 minutes
  assert.equal((await lab.execInClient('sysctl', ['-q', '-w', 'net.ipv4.tcp_retries2=2'])).code, 0);
  await lab.idleTimeout(3, 'drop');
  const { ssh, out } = await catSession(lab);
  await sleep(5000); // outlast the firewall's 3 s idle timeout
  ssh.stdin?.write('after the silence\n');
  const end = await waitForExit(ssh, 30_000);
  assert.equal(end.code, 255);
  // OpenSSH 9.2 reports the timeout through its failed 'send disconnect': EPIPE
  assert.match(out.stderr(), /timed out|Broken pipe/);
  assert.ok((await lab.firewall.invalidPackets()) > 0);
  assert.equal(await ping(lab), 0);
});

test('blackhole: ping fails and connects time out; restorePath brings both back', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  await lab.blackhole();
  assert.notEqual(await ping(lab), 0);
  const r = await sshInClient(lab, ['true'], { options: { ConnectTimeout: '2' } });
  assert.match(r.stderr, /timed out/);
  await lab.restorePath();
  assert.equal(await ping(lab), 0);
  assert.equal((await sshInClient(lab, ['true'])).code, 0);
});

test('loss(100) drops everything, loss(0) undoes it', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  await lab.loss(100);
  assert.notEqual(await ping(lab), 0);
  await lab.loss(0);
  assert.equal(await ping(lab), 0);
});

test('linkDown: Network is unreachable; linkUp restores the route', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  await lab.linkDown();
  const r = await sshInClient(lab, ['true']);
  assert.equal(r.code, 255);
  assert.match(r.stderr, /Network is unreachable/);
  await lab.linkUp();
  assert.equal((await sshInClient(lab, ['true'])).code, 0);
});

test('changeClientAddr: new connections come from the new address', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const { ssh, out } = await catSession(lab);
  const addr = await lab.changeClientAddr();
  assert.equal(addr, '198.18.1.3');
  assert.equal(lab.clientAddr, addr);
  const r = await sshInClient(lab, ['echo', '$SSH_CLIENT']);
  assert.match(r.stdout, /^198\.18\.1\.3 /, r.stderr);
  ssh.kill('SIGKILL');
  await waitForExit(ssh);
  assert.doesNotMatch(out.stdout(), /198/);
});

test('killSshdMaster: the open session lives on, new connects are refused until startSshd', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const { ssh } = await catSession(lab);
  const oldMaster = lab.sshdMasterPid();
  await lab.killSshdMaster();
  const refused = await sshInClient(lab, ['true']);
  assert.match(refused.stderr, /Connection refused/);
  ssh.stdin?.write('still here\n');
  await waitForOutput(ssh, /still here/);
  const newMaster = await lab.startSshd();
  assert.notEqual(newMaster, oldMaster);
  assert.equal(lab.sshdMasterPid(), newMaster);
  assert.equal((await sshInClient(lab, ['true'])).code, 0);
});

test('killSshdAll ends every session and refuses new ones', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const { ssh } = await catSession(lab);
  await lab.killSshdAll();
  assert.equal((await waitForExit(ssh)).code, 255);
  assert.deepEqual(lab.sessionPids(), []);
  assert.match((await sshInClient(lab, ['true'])).stderr, /Connection refused/);
});

test('killSession ends the session but the tmux it started survives', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const ssh = spawnSshInClient(lab, ['tmux new-session -d -s keep && echo started && exec sleep 60']);
  await waitForOutput(ssh, /started/);
  const killed = await lab.killSession();
  assert.ok(killed.length > 0);
  assert.equal((await waitForExit(ssh)).code, 255);
  assert.deepEqual(await lab.tmuxSessions(), ['keep']);
  assert.ok(lab.sshdMasterPid() !== undefined);
});

test('changeHostKey: the old known_hosts is refused, the new one works', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const before = lab.knownHostsLine();
  await lab.changeHostKey();
  assert.notEqual(lab.knownHostsLine(), before);
  const r = await sshInClient(lab, ['true']);
  assert.equal(r.code, 255);
  assert.match(r.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  const fresh = lab.writeKnownHosts(`${lab.clientDir}/known_hosts2`);
  assert.equal((await sshInClient(lab, ['true'], { knownHosts: fresh })).code, 0);
});

test('setSshdOptions: a kex restriction gives "no matching key exchange method"', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  await lab.setSshdOptions(['KexAlgorithms curve25519-sha256']);
  const r = await sshInClient(lab, ['true'], { options: { KexAlgorithms: 'diffie-hellman-group14-sha256' } });
  assert.equal(r.code, 255);
  assert.match(r.stderr, /no matching key exchange method/);
});

test('MaxStartups + holdUnauthenticated: the next connection is closed before the banner', async (t) => {
  const lab = await startLab(t, { sshdOptions: ['MaxStartups 1'] });
  if (!lab) return;
  const holders = await lab.holdUnauthenticated(1);
  const r = await sshInClient(lab, ['true']);
  assert.equal(r.code, 255);
  assert.match(r.stderr, /kex_exchange_identification|Connection closed by remote host|Connection reset/);
  for (const h of holders) h.kill('SIGKILL');
  await Promise.all(holders.map((h) => waitForExit(h)));
  // the server notices the holder's FIN and frees its startup slot a moment later
  await waitUntil(async () => (await sshInClient(lab, ['echo', 'ok'])).stdout === 'ok\n', 'a login after the holder left');
});

test('freeze/thaw a client process with the cgroup v1 freezer', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const sleeper = lab.spawnInClient('sleep', ['60']);
  const pid = sleeper.pid ?? -1;
  await lab.freeze(pid);
  assert.equal(lab.freezerState(pid), 'FROZEN');
  assert.match(readFileSync(`/proc/${pid}/cgroup`, 'utf8'), new RegExp(`freezer:/${lab.names.prefix}-${pid}`));
  lab.thaw(pid);
  assert.equal(lab.freezerState(pid), undefined);
  assert.doesNotMatch(readFileSync(`/proc/${pid}/cgroup`, 'utf8'), new RegExp(lab.names.prefix));
  assert.equal(existsSync(`/sys/fs/cgroup/freezer/${lab.names.prefix}-${pid}`), false);
});

test('dispose is idempotent and leaves no namespace, process, cgroup or file behind', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const sleeper = lab.spawnInClient('sleep', ['60']);
  await lab.freeze(sleeper.pid ?? -1);
  const server = lab.spawnInServer('sleep', ['60']);
  await lab.dispose();
  await lab.dispose();
  const netns = (await run('ip', ['netns', 'list'])).stdout;
  assert.doesNotMatch(netns, new RegExp(lab.names.prefix));
  assert.equal(existsSync(lab.dir), false);
  assert.equal(existsSync(`/sys/fs/cgroup/freezer/${lab.names.prefix}-${sleeper.pid}`), false);
  await waitForExit(sleeper);
  await waitForExit(server);
  assert.deepEqual(reapStaleLabs().filter((p) => p === lab.names.prefix), []);
});
