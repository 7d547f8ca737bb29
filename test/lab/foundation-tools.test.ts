// Tools that run ssh for their transport, given tether instead, against the real sshd: git (GIT_SSH_COMMAND) clones
// and pushes; rsync -e, scp -S and sftp -S (the sftp subsystem, `-s`) copy files both ways byte for byte.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TETHER_BIN, head, keyOptions, runInClient, tempDir } from '../helpers/foundation.js';
import type { ClientResult } from '../helpers/foundation.js';
import type { Lab } from './index.js';
import { startLab } from './index.js';

/** A config file carrying the key and known_hosts (the tools add their own options). */
function labConfig(lab: Lab, dir: string): string {
  const cfg = join(dir, 'ssh_config');
  writeFileSync(
    cfg,
    [
      'Host *',
      `  IdentityFile ${lab.clientKey.privatePath}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${lab.knownHostsPath}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '  UpdateHostKeys no',
      '  BatchMode yes',
      '',
    ].join('\n'),
  );
  return cfg;
}

/** A wrapper `tether -F cfg "$@"` for tools that take a program path (scp -S, sftp -S). */
function tetherWrapper(dir: string, cfg: string): string {
  const path = join(dir, 'tether-ssh');
  writeFileSync(path, `#!/bin/sh\nexec '${process.execPath}' '${TETHER_BIN}' -F '${cfg}' "$@"\n`, { mode: 0o755 });
  return path;
}


/** sha256 (hex) of bytes. */
function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** sha256 of a file in the lab user's home on the server. */
async function serverSha(lab: Lab, name: string): Promise<string> {
  const r = await lab.execInServer('sha256sum', [`/home/tetherlab/${name}`], { asUser: true });
  return r.stdout.split(' ')[0] ?? '';
}

function ok(r: ClientResult, what: string): void {
  assert.equal(r.code, 0, `${what}: ${r.stderr} ${r.stdout.toString()}`);
}

test('git, rsync, scp and sftp with tether as their ssh, against the real sshd', { timeout: 120_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const home = tempDir(t, 'tools');
  const dir = tempDir(t, 'tools-files');
  const cfg = labConfig(lab, dir);
  const wrapper = tetherWrapper(dir, cfg);
  const remote = `${lab.user}@${lab.serverAddr}`;

  // git is not a lab tool (.ci/run should install it): without it this one case is skipped, with the reason
  const noGit = spawnSync('git', ['--version']).error ? 'git is not installed (add it to .ci/run)' : false;
  await t.test('git clone and push over GIT_SSH_COMMAND=tether', { skip: noGit }, async (st) => {
    const init = await lab.execInServer('git', ['init', '-q', '--bare', '/home/tetherlab/repo.git'], { asUser: true });
    assert.equal(init.code, 0, init.stderr);
    const env = {
      GIT_SSH_COMMAND: `${process.execPath} ${TETHER_BIN} -F ${cfg}`,
      GIT_AUTHOR_NAME: 'lab', GIT_AUTHOR_EMAIL: 'lab@example.invalid', GIT_COMMITTER_NAME: 'lab', GIT_COMMITTER_EMAIL: 'lab@example.invalid',
    };
    const work = join(dir, 'work');
    ok(await runInClient(lab, home, 'git', ['clone', '-q', `${remote}:repo.git`, work], { env }), 'git clone');
    writeFileSync(join(work, 'hello.txt'), 'pushed through tether\n');
    ok(await runInClient(lab, home, 'git', ['-C', work, 'add', 'hello.txt'], { env }), 'git add');
    ok(await runInClient(lab, home, 'git', ['-C', work, 'commit', '-q', '-m', 'via tether'], { env }), 'git commit');
    const push = await runInClient(lab, home, 'git', ['-C', work, 'push', '-q', 'origin', 'HEAD:refs/heads/main'], { env });
    ok(push, 'git push');
    const shown = await lab.execInServer('git', ['--git-dir=/home/tetherlab/repo.git', 'show', 'main:hello.txt'], { asUser: true });
    st.diagnostic(`[foundation] git: GIT_SSH_COMMAND='${env.GIT_SSH_COMMAND}' git clone/push ${remote}:repo.git -> push exit ${push.code}; server has hello.txt = ${JSON.stringify(shown.stdout)}`);
    assert.equal(shown.stdout, 'pushed through tether\n');
    const clone2 = join(dir, 'clone2');
    ok(await runInClient(lab, home, 'git', ['clone', '-q', '-b', 'main', `${remote}:repo.git`, clone2], { env }), 'second git clone');
    assert.equal(readFileSync(join(clone2, 'hello.txt'), 'utf8'), 'pushed through tether\n');
  });

  const noRsync = spawnSync('rsync', ['--version']).error ? 'rsync is not installed (add it to .ci/run)' : false;
  await t.test('rsync -e tether: a tree to the server and back, byte for byte', { skip: noRsync }, async (st) => {
    const src = join(dir, 'rsync-src');
    mkdirSync(join(src, 'sub'), { recursive: true });
    const files: Record<string, Buffer> = { 'a.bin': randomBytes(1024 * 1024), 'sub/b.txt': Buffer.from('through tether\n'), 'sub/empty': Buffer.alloc(0) };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(src, name), bytes);
    const rsh = `${process.execPath} ${TETHER_BIN} -F ${cfg}`;
    const upload = await runInClient(lab, home, 'rsync', ['-a', '-e', rsh, `${src}/`, `${remote}:rsync-dst/`], { timeoutMs: 30_000 });
    ok(upload, 'rsync up');
    const back = join(dir, 'rsync-back');
    const download = await runInClient(lab, home, 'rsync', ['-a', '-e', rsh, `${remote}:rsync-dst/`, `${back}/`], { timeoutMs: 30_000 });
    ok(download, 'rsync down');
    st.diagnostic(`[foundation] rsync -a -e '${rsh}' up and back -> exit ${upload.code}/${download.code}; server a.bin sha256 ${await serverSha(lab, 'rsync-dst/a.bin')}`);
    assert.equal(await serverSha(lab, 'rsync-dst/a.bin'), sha(files['a.bin'] ?? Buffer.alloc(0)), 'the server has the same bytes');
    for (const [name, bytes] of Object.entries(files)) assert.ok(readFileSync(join(back, name)).equals(bytes), `${name} came back identical`);
  });

  await t.test('sftp -S tether: 2 MiB put and get, byte for byte', async (st) => {
    const payload = randomBytes(2 * 1024 * 1024);
    const up = join(dir, 'sftp-up.bin');
    const back = join(dir, 'sftp-back.bin');
    writeFileSync(up, payload);
    const batch = `put ${up} sftp.bin\nget sftp.bin ${back}\n`;
    ok(await runInClient(lab, home, 'sftp', ['-q', '-S', wrapper, '-b', '-', remote], { input: batch }), 'sftp put/get');
    const sum = await serverSha(lab, 'sftp.bin');
    st.diagnostic(`[foundation] sftp -S ${wrapper} -b - ${remote} (put+get 2 MiB): server sha256 ${sum}, local ${sha(payload)}`);
    assert.equal(sum, sha(payload), 'the server has the same bytes');
    assert.ok(readFileSync(back).equals(payload), 'the copy back is identical');
  });

  await t.test('scp -S tether: 2 MiB from the server, byte for byte', async (st) => {
    const payload = randomBytes(2 * 1024 * 1024);
    const back = join(dir, 'scp-back.bin');
    writeFileSync(join(lab.server.paths.home, 'down.bin'), payload);
    const r = await runInClient(lab, home, 'scp', ['-q', '-S', wrapper, `${remote}:down.bin`, back], { timeoutMs: 30_000 });
    st.diagnostic(`[foundation] scp -S ${wrapper} ${remote}:down.bin ${back} -> exit ${r.code}; stderr ${JSON.stringify(head(r.stderr))}`);
    ok(r, 'scp down');
    assert.ok(readFileSync(back).equals(payload), 'the copy is identical');
  });

  await t.test('scp -S tether: 2 MiB to the server', async (st) => {
    const payload = randomBytes(2 * 1024 * 1024);
    const up = join(dir, 'scp-up.bin');
    writeFileSync(up, payload);
    const r = await runInClient(lab, home, 'scp', ['-q', '-S', wrapper, up, `${remote}:up.bin`], { timeoutMs: 30_000 });
    st.diagnostic(`[foundation] scp -S ${wrapper} ${up} ${remote}:up.bin -> exit ${r.code}; stderr ${JSON.stringify(head(r.stderr, 5))}`);
    ok(r, 'scp up');
    assert.equal(await serverSha(lab, 'up.bin'), sha(payload), 'the server has the same bytes');
  });

  await t.test('a reader that goes away (| head -1): exit 255 and no trace, as ssh', async (st) => {
    const k = keyOptions(lab).map((a) => `'${a}'`).join(' ');
    // `timeout -s KILL 10`: a client that hangs instead of ending is killed (status 137), never the whole test
    const line = (prog: string): string => `timeout -s KILL 10 ${prog} ${k} ${remote} 'seq 1 1000000' | head -1; echo "status: \${PIPESTATUS[0]}"`;
    const ssh = await runInClient(lab, home, 'bash', ['-c', line('ssh')]);
    const r = await runInClient(lab, home, 'bash', ['-c', line(`'${process.execPath}' '${TETHER_BIN}'`)]);
    st.diagnostic(`[foundation] tether ${remote} 'seq 1 1000000' | head -1 -> ${JSON.stringify(r.stdout.toString())}; stderr ${JSON.stringify(head(r.stderr, 5))}`);
    st.diagnostic(`[foundation] ssh ${remote} 'seq 1 1000000' | head -1 -> ${JSON.stringify(ssh.stdout.toString())}; stderr ${JSON.stringify(head(ssh.stderr))}`);
    assert.equal(ssh.stdout.toString(), '1\nstatus: 255\n', 'OpenSSH: 255');
    assert.equal(r.stdout.toString(), ssh.stdout.toString(), 'the same status as ssh');
    assert.equal(r.stderr, ssh.stderr, 'nothing on stderr, as ssh');
  });
});
