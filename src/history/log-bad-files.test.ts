// The history log on bad ground, with real files: cut short, 1 GB, a symlink, another user's, a full disk. Each is a
// one-line io error or a warning; records already there are never lost, and appending works again once it can.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TetherError } from '../common/errors.js';
import { appendReset, readResets, resetsPath } from './log.js';
import { sampleRecord } from './test-records.js';

const T = Date.UTC(2026, 10, 21, 12);
const isRoot = process.getuid?.() === 0;

function scratch(t: { after(fn: () => void): void }): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tether-badlog-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, file: resetsPath(join(dir, 'tether')) };
}

/** Reads with warnings collected. */
async function read(file: string): Promise<{ ids: string[]; warnings: string[] }> {
  const warnings: string[] = [];
  const records = await readResets(file, (w) => warnings.push(w));
  return { ids: records.map((r) => r.id), warnings };
}

/** Asserts an io TetherError whose message is one line matching `re`. */
async function rejectsOneLine(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof TetherError && err.kind === 'io', String(err));
    assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
    assert.match(err.message, re);
    return true;
  });
}

test('a log cut short mid-line: the next record starts on its own line, the cut line is warned once', async (t) => {
  const { file } = scratch(t);
  await appendReset(file, sampleRecord('a', 'web', 'firewall', T));
  appendFileSync(file, '{"v":1,"id":"cut","host":"we'); // a crash or a full disk in the middle of a write
  await appendReset(file, sampleRecord('b', 'web', 'firewall', T + 1000));
  const got = await read(file);
  assert.deepEqual(got.ids, ['a', 'b']);
  assert.equal(got.warnings.length, 1);
  assert.match(got.warnings[0] ?? '', /line 2: not valid JSON, skipped/);
});

test('a 1 GB log (sparse): appending works, reading takes its last 64 MiB with one warning', async (t) => {
  const { dir, file } = scratch(t);
  mkdirSync(join(dir, 'tether'), { mode: 0o700 });
  writeFileSync(file, '', { mode: 0o600 });
  truncateSync(file, 1024 * 1048576);
  await appendReset(file, sampleRecord('late', 'web', 'network', T));
  const got = await read(file);
  assert.deepEqual(got.ids, ['late']);
  assert.deepEqual(got.warnings, [`tether: ${file} is 1024 MiB: only records in its last 64 MiB are read`]);
});

test('a symlink in place of the log is neither written through nor read', async (t) => {
  const { dir, file } = scratch(t);
  const elsewhere = join(dir, 'elsewhere');
  writeFileSync(elsewhere, 'not yours\n', { mode: 0o644 });
  mkdirSync(join(dir, 'tether'), { mode: 0o700 });
  symlinkSync(elsewhere, file);
  await rejectsOneLine(appendReset(file, sampleRecord('a', 'web', 'firewall', T)), /cannot append to .*resets\.jsonl: is a symbolic link/);
  await rejectsOneLine(readResets(file, () => undefined), /cannot read .*: is a symbolic link/);
  assert.equal(readFileSync(elsewhere, 'utf8'), 'not yours\n', 'the target is untouched');
  assert.equal(statSync(elsewhere).mode & 0o777, 0o644, "the target's mode is untouched");
});

test("another user's log is refused, and left as it was", { skip: isRoot ? false : 'needs root to chown' }, async (t) => {
  const { file } = scratch(t);
  await appendReset(file, sampleRecord('a', 'web', 'firewall', T));
  chownSync(file, 65534, 65534);
  const before = readFileSync(file, 'utf8');
  await rejectsOneLine(appendReset(file, sampleRecord('b', 'web', 'firewall', T)), /belongs to uid 65534, not to this user/);
  await rejectsOneLine(readResets(file, () => undefined), /belongs to uid 65534/);
  assert.equal(readFileSync(file, 'utf8'), before);
});

test('a full disk: a one-line error, the records before it intact, appends work again once there is room', { skip: isRoot ? false : 'needs root to mount a tmpfs' }, async (t) => {
  const { dir } = scratch(t);
  const mnt = join(dir, 'small');
  mkdirSync(mnt);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tether-test-full', mnt]);
  try {
    await fullDisk(mnt);
  } finally {
    execFileSync('umount', [mnt]); // before the scratch directory goes
  }
});

async function fullDisk(mnt: string): Promise<void> {
  const file = resetsPath(join(mnt, 'tether'));
  await appendReset(file, sampleRecord('a', 'web', 'firewall', T));
  const filler = join(mnt, 'filler');
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k', 'count=64'], { stdio: 'ignore' });
  } catch {
    // dd stops with ENOSPC: the disk is full, which is the point
  }
  const big = sampleRecord('b', 'web', 'firewall', T + 1000);
  big.evidence = Array.from({ length: 40 }, (_, i) => `line ${i} ${'x'.repeat(300)}`); // more than a page: no room
  await rejectsOneLine(appendReset(file, big), /cannot append to .*: (ENOSPC|short write)/);
  assert.deepEqual((await read(file)).ids, ['a'], 'the record before is intact');
  rmSync(filler);
  await appendReset(file, sampleRecord('c', 'web', 'firewall', T + 2000));
  const got = await read(file);
  assert.deepEqual(got.ids, ['a', 'c'], 'appends work again; a partial line, if any, is skipped');
}
