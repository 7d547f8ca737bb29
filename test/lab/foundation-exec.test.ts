// Non-interactive use against the real sshd is byte-exact: the remote exit status, stdout/stderr bytes, and 64 MiB of
// random bytes through the remote `sha256sum`.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dest, keyOptions, report, sshInClientRaw, tempDir, tetherInClient } from '../helpers/foundation.js';
import { startLab } from './index.js';
import { must } from './run.js';

/** Writes `size` random bytes to `path` in 1 MiB chunks; resolves to their sha256 (hex). */
async function randomFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let left = size; left > 0; left -= 1 << 20) {
    const chunk = randomBytes(Math.min(left, 1 << 20));
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  return hash.digest('hex');
}

/** sha256 of a file, read back (so the hash compared is of what is on disk). */
async function fileHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

test('non-interactive runs are byte-exact against the real sshd', { timeout: 150_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const home = tempDir(t, 'exec');

  await t.test("exit 7 -> exit status 7", async (st) => {
    const argv = [...keyOptions(lab), dest(lab), 'exit 7'];
    const r = await tetherInClient(lab, home, argv);
    report(st, 'exit status', argv, r);
    assert.equal(r.code, 7, r.stderr);
    assert.equal(r.stdout.length, 0);
    assert.equal(r.stderr, '');
  });

  await t.test('stdout and stderr bytes as sent: a NUL in stdout, stderr apart', async (st) => {
    const argv = [...keyOptions(lab), dest(lab), "printf 'a\\0b' ; printf err >&2"];
    const r = await tetherInClient(lab, home, argv);
    report(st, 'bytes', argv, r);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout, Buffer.from([0x61, 0x00, 0x62]));
    assert.equal(r.stderr, 'err');
  });

  await t.test('stdin bytes reach the remote command (every byte value, then EOF)', async (st) => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const argv = [...keyOptions(lab), dest(lab), 'od -An -tx1 -v | tr -d " \\n"; echo; exit 3'];
    const r = await tetherInClient(lab, home, argv, { input: Buffer.concat([all, all]) });
    report(st, 'stdin bytes', argv, r);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout.toString(), `${all.toString('hex')}${all.toString('hex')}\n`);
  });

  await t.test('64 MiB of random bytes piped through the remote sha256sum', { timeout: 120_000 }, async (st) => {
    const f = join(tempDir(st, 'sha'), 'f');
    const written = await randomFile(f, 64 * 1024 * 1024);
    const local = await fileHash(f);
    assert.equal(local, written);
    const coreutils = await must('sha256sum', [f]);
    assert.equal(coreutils, `${local}  ${f}\n`, 'the local sha256sum agrees');
    const argv = [...keyOptions(lab), dest(lab), 'sha256sum'];
    const r = await tetherInClient(lab, home, argv, { inputFile: f, timeoutMs: 110_000 });
    report(st, `sha256sum of 64 MiB (local ${local})`, argv, r);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), `${local}  -\n`);
  });
});

test('a quick remote command never loses its exit status (60 runs of exit 7)', { timeout: 90_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const home = tempDir(t, 'race');
  const argv = [...keyOptions(lab), dest(lab), 'exit 7'];
  const codes: (number | null)[] = [];
  for (let i = 0; i < 60; i++) codes.push((await tetherInClient(lab, home, argv)).code);
  const lost = codes.filter((c) => c !== 7).length;
  t.diagnostic(`[foundation] exit 7 x60: statuses ${JSON.stringify(codes)}; ${lost} lost`);
  assert.equal(lost, 0, `statuses: ${JSON.stringify(codes)}`);
});

test("the server's pre-login banner: the same stderr bytes as ssh, none with LogLevel ERROR", { timeout: 60_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const home = tempDir(t, 'banner');
  const file = join(lab.server.paths.dir, 'banner.txt');
  writeFileSync(file, 'Authorized use only.\nActivity is logged.\n');
  await lab.setSshdOptions([`Banner ${file}`]);
  const argv = [...keyOptions(lab), dest(lab), 'true'];
  const r = await tetherInClient(lab, home, argv);
  const ssh = await sshInClientRaw(lab, home, argv);
  report(t, 'banner', argv, r);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(ssh.code, 0, ssh.stderr);
  assert.equal(ssh.stderr, 'Authorized use only.\nActivity is logged.\n', 'what OpenSSH prints (the banner as sent)');
  assert.equal(r.stderr, ssh.stderr, 'tether prints the same bytes');
  const quiet = await tetherInClient(lab, home, [...keyOptions(lab), '-o', 'LogLevel=ERROR', dest(lab), 'true']);
  assert.equal(quiet.stderr, '', 'no banner below LogLevel INFO');
});
