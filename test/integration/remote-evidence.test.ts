// The evidence scripts run for real (dash and bash as the "login shell"), parsed, and checked against /proc.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastEvidenceScript, slowEvidenceScript } from '../../src/remote/evidence-script.js';
import { parseServerFacts } from '../../src/remote/evidence-parse.js';
import { collectFastFacts, collectSlowFacts } from '../../src/remote/session-facts.js';
import { shQuote } from '../../src/remote/shell-quote.js';
import { localExec } from './remote-harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'tether-evidence-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const localBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

/** A pid that surely is gone: a child that has exited and been reaped. */
function deadPid(): number {
  const r = spawnSync('/bin/sh', ['-c', 'echo $$']);
  return Number(r.stdout.toString().trim());
}

for (const shell of ['/bin/dash', '/bin/bash']) {
  test(`fast evidence under ${shell}: parses, and matches this machine`, async () => {
    const gone = deadPid();
    const facts = await collectFastFacts(localExec(shell), { pids: [process.pid, gone], session: 'tether-none', timeoutMs: 5000 });
    assert.equal(facts.execError, undefined);
    assert.equal(facts.complete, true);
    assert.deepEqual(facts.garbage, []);
    assert.equal(facts.bootId, localBootId);
    assert.ok(facts.uptimeSec !== undefined && facts.uptimeSec > 0);
    assert.ok(facts.nowEpoch !== undefined && Math.abs(facts.nowEpoch - Date.now() / 1000) < 60);
    assert.ok(facts.bootEpoch !== undefined && facts.nowEpoch - facts.bootEpoch >= Math.floor(facts.uptimeSec) - 5);
    assert.ok(facts.loadAvg?.length === 3);
    assert.ok(facts.memAvailableKb !== undefined && facts.memAvailableKb > 0);
    const me = facts.pids.find((p) => p.pid === process.pid);
    assert.equal(me?.alive, true);
    assert.ok(me.startEpoch !== undefined && me.startEpoch <= facts.nowEpoch);
    assert.equal(facts.pids.find((p) => p.pid === gone)?.alive, false);
    assert.equal(facts.tmux.installed, true);
    assert.match(facts.tmux.version ?? '', /^tmux \d/);
  });
}

test('the sshd ancestry walk: session = nearest sshd, master = the topmost, channels = its other children', async () => {
  const fakeSshd = join(tmp, 'sshd');
  symlinkSync('/bin/dash', fakeSshd); // comm "sshd", as the real one
  const script = fastEvidenceScript({ listChannels: true });
  // master sshd → session sshd → (a "channel" process: sleep) + the evidence shell
  const session = `sleep 30 & /bin/sh -c ${shQuote(script)}; kill $!`;
  const master = `${fakeSshd} -c ${shQuote(session)}; :`;
  const r = await localExec()(`${fakeSshd} -c ${shQuote(master)}; :`, { timeoutMs: 10_000 });
  const facts = parseServerFacts(r.stdout);
  assert.equal(facts.complete, true, r.stderr);
  const { sshdSessionPid, sshdMasterPid } = facts;
  assert.ok(sshdSessionPid !== undefined && sshdMasterPid !== undefined, r.stdout);
  assert.notEqual(sshdSessionPid, sshdMasterPid);
  assert.equal(facts.sshdMasterSource, 'ancestry');
  assert.ok(facts.sshdMasterStart !== undefined && facts.sshdSessionStart !== undefined);
  assert.ok(facts.sshdMasterStart <= facts.sshdSessionStart);
  assert.deepEqual(facts.channels.map((c) => c.comm), ['sleep']);
});

test('slow evidence runs, is bounded, and parses (dmesg/journal status reported whatever the permissions)', async () => {
  const facts = await collectSlowFacts(localExec(), { sinceEpoch: Date.now() / 1000 - 600, timeoutSec: 2, timeoutMs: 10_000 });
  assert.equal(facts.execError, undefined);
  assert.equal(facts.complete, true);
  assert.ok(facts.dmesgStatus !== undefined);
  assert.ok(facts.journalStatus !== undefined);
  assert.deepEqual(facts.garbage, []);
});

test('a noisy login shell (rc output before and after) does not confuse the parser', async () => {
  const noisy = `echo "Welcome to the server"; ${fastEvidenceScript()}; echo bye=1`;
  const r = await localExec()(`/bin/sh -c ${shQuote(noisy)}`);
  const facts = parseServerFacts(r.stdout);
  assert.equal(facts.complete, true);
  assert.equal(facts.bootId, localBootId);
  assert.deepEqual(facts.garbage, []);
});

const BUSYBOX = '/usr/bin/busybox';

test('busybox ash with only busybox applets (Alpine-like: no getconf, busybox timeout/pgrep, no tmux)', { skip: existsSync(BUSYBOX) ? false : 'busybox not installed' }, () => {
  const bin = join(tmp, 'bb');
  mkdirSync(bin);
  assert.equal(spawnSync(BUSYBOX, ['--install', '-s', bin]).status, 0);
  const env = { PATH: bin };
  const gone = deadPid();
  const fast = spawnSync(BUSYBOX, ['ash', '-c', fastEvidenceScript({ session: 's', pids: [process.pid, gone], listChannels: true })], { env, encoding: 'utf8', timeout: 10_000 });
  const facts = parseServerFacts(fast.stdout);
  assert.equal(facts.complete, true, fast.stderr);
  assert.deepEqual(facts.garbage, []);
  assert.equal(facts.bootId, localBootId);
  assert.equal(facts.tmux.installed, false);
  assert.equal(facts.pids.find((p) => p.pid === process.pid)?.alive, true);
  assert.equal(facts.pids.find((p) => p.pid === gone)?.alive, false);
  const slow = spawnSync(BUSYBOX, ['ash', '-c', slowEvidenceScript({ sinceEpoch: 0, timeoutSec: 2 })], { env, encoding: 'utf8', timeout: 10_000 });
  const slowFacts = parseServerFacts(slow.stdout);
  assert.equal(slowFacts.complete, true, slow.stderr);
  assert.equal(slowFacts.journalStatus, 'missing');
});

const asNobody =
  process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0 ? false : 'needs root and runuser';

test('as an unprivileged user: everything still parses, restricted logs are reported as such', { skip: asNobody }, () => {
  const run = (script: string) =>
    parseServerFacts(spawnSync('runuser', ['-u', 'nobody', '--', '/bin/sh', '-c', script], { encoding: 'utf8', cwd: '/', timeout: 10_000 }).stdout);
  const fast = run(fastEvidenceScript({ session: 'x', pids: [1, process.pid] }));
  assert.equal(fast.complete, true);
  assert.equal(fast.bootId, localBootId);
  assert.equal(fast.pids.find((p) => p.pid === process.pid)?.alive, true, 'a root-owned process is alive, not gone');
  const slow = run(slowEvidenceScript({ sinceEpoch: 0, timeoutSec: 2 }));
  assert.equal(slow.complete, true);
  const restricted = readFileSync('/proc/sys/kernel/dmesg_restrict', 'utf8').trim() === '1';
  if (restricted) assert.equal(slow.dmesgStatus, 'denied');
  assert.ok(slow.journalStatus !== undefined);
});

test('a killed process not yet reaped (a zombie) is gone, not alive', async () => {
  // `sleep 0` exits at once; its parent becomes `sleep 5` through exec and never waits for it
  const parent = spawn('/bin/sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const zombie = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    for (let i = 0; i < 50 && !/^\S+ \(sleep\) Z /.test(readFileSync(`/proc/${zombie}/stat`, 'utf8')); i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(readFileSync(`/proc/${zombie}/stat`, 'utf8'), /^\S+ \(sleep\) Z /, 'the test made a zombie');
    const facts = await collectFastFacts(localExec('/bin/sh'), { pids: [zombie, process.pid], timeoutMs: 5000 });
    assert.equal(facts.pids.find((p) => p.pid === zombie)?.alive, false);
    assert.equal(facts.pids.find((p) => p.pid === process.pid)?.alive, true);
  } finally {
    parent.kill('SIGKILL');
  }
});
