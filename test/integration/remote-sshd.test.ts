// The evidence scripts over a REAL OpenSSH sshd on 127.0.0.1 (skipped unless root with sshd and ssh installed):
// the sshd listener and per-connection session are found by walking up the process tree.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecResult, RemoteExec } from '../../src/remote/exec.js';
import { fastEvidenceCommand } from '../../src/remote/evidence-script.js';
import { decideReattach } from '../../src/remote/reattach.js';
import { runSessionsCommand } from '../../src/remote/sessions.js';
import { buildInteractiveCommand } from '../../src/remote/tmux-command.js';
import { parseTmuxVersion } from '../../src/remote/tmux-invocation.js';
import { parseServerFacts } from '../../src/remote/evidence-parse.js';
import { collectFastFacts, pidsToCheck, recordFromFacts } from '../../src/remote/session-facts.js';
import { compareServerFacts } from '../../src/remote/server-changes.js';
import type { PtyClient } from './remote-harness.js';
import { childEnv, ptyClient, waitFor } from './remote-harness.js';

const SSHD = '/usr/sbin/sshd';
const missing =
  process.getuid?.() !== 0
    ? 'not root'
    : !existsSync(SSHD)
      ? 'no /usr/sbin/sshd'
      : spawnSync('ssh', ['-V']).status !== 0
        ? 'no ssh client'
        : undefined;
const skip = missing === undefined ? false : process.env.CI === 'true' ? false : `real sshd unavailable: ${missing}`;

let dir = '';
let port = 0;
let sshd: ChildProcess | undefined;
const clients: ChildProcess[] = [];
/** Server-side processes our tests leave behind when they kill an sshd session (the orphaned shell). */
const leftovers: number[] = [];
/** ssh clients run in a pty (interactive sessions). */
const ptys: PtyClient[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr !== null ? addr.port : 0));
    });
  });
}

function sshArgs(): string[] {
  return [
    '-F', '/dev/null',
    '-i', join(dir, 'client_key'),
    '-p', String(port),
    '-o', 'StrictHostKeyChecking=no',
    '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
    '-o', 'BatchMode=yes',
    '-o', 'LogLevel=ERROR',
    'root@127.0.0.1',
  ];
}

/** RemoteExec over the system ssh client: the command string goes to the server's `$SHELL -c`, as with ssh2's exec. */
const sshExec: RemoteExec = (command, opts) =>
  new Promise<ExecResult>((resolve, reject) => {
    const child = spawn('ssh', [...sshArgs(), command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts?.timeoutMs ?? 10_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });

before(async () => {
  if (skip !== false) return;
  dir = mkdtempSync(join(tmpdir(), 'tether-sshd-'));
  port = await freePort();
  for (const key of ['host_key', 'client_key']) {
    const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, key)]);
    assert.equal(r.status, 0, r.stderr.toString());
  }
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'LogLevel ERROR',
    ].join('\n') + '\n',
  );
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 }); // sshd's privsep dir (standard path)
  sshd = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitFor('sshd to accept logins', async () => ((await sshExec('true', { timeoutMs: 3000 })).code === 0 ? true : undefined), 10_000);
});

after(async () => {
  for (const c of clients) if (c.exitCode === null) c.kill('SIGTERM');
  for (const p of ptys) p.kill();
  if (dir !== '') await sshExec(`tmux -S ${join(dir, 'tmux.sock')} kill-server 2>/dev/null; true`).catch(() => undefined);
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (sshd?.pid !== undefined && sshd.exitCode === null) {
    const gone = new Promise((r) => sshd?.once('exit', r));
    sshd.kill('SIGTERM');
    await gone;
  }
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

test('the fast script finds our sshd listener (the very pid we started) and our session process', { skip }, async () => {
  const facts = await collectFastFacts(sshExec, { timeoutMs: 5000 });
  assert.equal(facts.execError, undefined);
  assert.equal(facts.complete, true);
  assert.equal(facts.sshdMasterPid, sshd?.pid);
  assert.equal(facts.sshdMasterSource, 'ancestry');
  assert.ok(facts.sshdSessionPid !== undefined && facts.sshdSessionPid !== facts.sshdMasterPid);
  assert.ok(facts.sshdMasterStart !== undefined && Math.abs(facts.sshdMasterStart - Date.now() / 1000) < 120);
  assert.equal(facts.bootId, readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
});

test('a session process killed on the server is seen as gone; the listener as unchanged', { skip }, async () => {
  // a long connection that reports its own facts (with its shell as a channel) and then waits
  // (`exec sleep` keeps the login shell's pid, printed first, so the test can reap it: no pty, so no SIGHUP reaches it)
  const script = `echo "login_pid=$$"; ${fastEvidenceCommand({ listChannels: true }).replace(/^exec /, '')}; exec sleep 60`;
  const long = spawn('ssh', [...sshArgs(), script], { stdio: ['ignore', 'pipe', 'ignore'] });
  clients.push(long);
  let out = '';
  long.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const first = await waitFor('the long connection to report', () => (out.includes('tether-evidence-end') ? parseServerFacts(out) : undefined), 10_000);
  const loginPid = Number(/^login_pid=(\d+)$/m.exec(out)?.[1]);
  assert.ok(loginPid > 1);
  leftovers.push(loginPid);
  const record = recordFromFacts(first);
  assert.ok(record.sshdSessionPid !== undefined);

  const alive = await collectFastFacts(sshExec, { pids: [record.sshdSessionPid], timeoutMs: 5000 });
  assert.equal(compareServerFacts(record, alive).sshdSessionGone, false);

  process.kill(record.sshdSessionPid, 'SIGKILL'); // what an OOM kill or `kill` by an admin does
  const exited = await waitFor('the client to see the link die', () => (long.exitCode !== null ? long.exitCode : undefined), 10_000);
  assert.equal(exited, 255);
  const after = await collectFastFacts(sshExec, { pids: [record.sshdSessionPid], timeoutMs: 5000 });
  const changes = compareServerFacts(record, after);
  assert.equal(changes.sshdSessionGone, true);
  assert.equal(changes.sshdRestarted, false);
  assert.equal(changes.rebooted, false);
  assert.ok(changes.evidence.includes(`our sshd session process ${String(record.sshdSessionPid)} is gone`));
});

test('over real ssh -tt: the tmux command survives a dropped link, the same shell pid after reconnect', { skip }, async () => {
  const session = "tether-real 'q' `x` ;&";
  const socket = { path: join(dir, 'tmux.sock') };
  const { command } = buildInteractiveCommand({ session, socket, tmuxVersion: parseTmuxVersion('tmux 3.3a') });
  assert.ok(command !== undefined);
  const sshLine = ['ssh', '-tt', ...sshArgs(), command].map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const connect = (): PtyClient => {
    const c = ptyClient(sshLine, { cols: 100, rows: 30, env: childEnv() });
    ptys.push(c);
    return c;
  };
  const shellPid = async (c: PtyClient, tag: string): Promise<number> => {
    c.write(`echo "${tag}:$$:$TETHER_SESSION"\r`);
    const m = await waitFor(`${tag} from the remote shell`, () => new RegExp(`${tag}:(\\d+):${session.replace(/[|`]/g, '.')}`).exec(c.output()) ?? undefined, 10_000);
    return Number(m[1]);
  };

  const first = connect();
  const before = await shellPid(first, 'one');
  const record = recordFromFacts(await collectFastFacts(sshExec, { session, socket, listChannels: true, timeoutMs: 5000 }));
  assert.equal(record.tmuxPanePid, before);

  first.kill(); // the link dies under the client
  await first.exited;
  const second = connect();
  const after = await shellPid(second, 'two');
  assert.equal(after, before, 'the very same remote shell');
  const now = await collectFastFacts(sshExec, { session, socket, pids: pidsToCheck(record), timeoutMs: 5000 });
  assert.equal(decideReattach({ restoreMode: 'tmux', before: record, now }).outcome, 'restored');
  second.kill();

  // `tether sessions` over the same real exec channel (C locale): the odd name comes back intact, and is killed
  let out = '';
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t) };
  assert.equal(await runSessionsCommand(['--json'], sshExec, io, { socket }), 0);
  assert.deepEqual(out.trim().split('\n').map((l) => (JSON.parse(l) as { name: string }).name), [session]);
  assert.equal(await runSessionsCommand(['--kill', session], sshExec, io, { socket }), 0);
  const gone = await collectFastFacts(sshExec, { session, socket, timeoutMs: 5000 });
  assert.notEqual(gone.tmux.session, 'present');
});
