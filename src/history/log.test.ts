import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { appendReset, appendUpdate, parseResets, readResets, resetsPath } from './log.js';
import { sampleRecord } from './test-records.js';

const T = Date.UTC(2026, 10, 21, 12, 0, 0);

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tether-history-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('resetsPath is resets.jsonl in the state directory', () => {
  assert.equal(resetsPath('/x/state/tether'), '/x/state/tether/resets.jsonl');
});

test('write/read round trip; directories 0700, file 0600, one line per record', async () => {
  await withTemp(async (dir) => {
    const file = resetsPath(join(dir, 'state', 'tether'));
    const a = sampleRecord('a', 'web', 'idle-timeout', T);
    const b = sampleRecord('b', 'db', 'firewall', T + 60_000, 3000, 'gave-up');
    await appendReset(file, a);
    await appendReset(file, b);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'state', 'tether'))).mode & 0o777, 0o700);
    assert.equal((await stat(join(dir, 'state'))).mode & 0o777, 0o700, 'a parent tether creates is 0700 too');
    const text = await readFile(file, 'utf8');
    assert.equal(text.split('\n').length, 3, 'two lines and the final newline');
    const warnings: string[] = [];
    const got = await readResets(file, (w) => warnings.push(w));
    assert.deepEqual(warnings, []);
    assert.deepEqual(got, [a, b]);
    assert.equal(got[1]?.restoredAt, null);
    assert.equal(got[1]?.downtimeMs, 3000);
    assert.equal(got[0]?.detectedAt, '2026-11-21T12:00:00.000Z');
  });
});

test('a missing log reads as empty, without warnings', async () => {
  await withTemp(async (dir) => {
    const warnings: string[] = [];
    assert.deepEqual(await readResets(join(dir, 'none.jsonl'), (w) => warnings.push(w)), []);
    assert.deepEqual(warnings, []);
  });
});

test('a damaged line in the middle is skipped with one warning naming file and line; the file is not rewritten', async () => {
  await withTemp(async (dir) => {
    const file = join(dir, 'resets.jsonl');
    await appendReset(file, sampleRecord('a', 'web', 'reboot', T));
    await appendFile(file, '{"v":1,"id":"broken","host":"web","detec\n');
    await appendFile(file, '[1,2]\n{"v":1,"host":"nohost-id","detectedAt":"2026-11-21T12:00:00Z"}\n');
    await appendReset(file, sampleRecord('c', 'web', 'network', T + 1000));
    const before = await readFile(file, 'utf8');
    const warnings: string[] = [];
    const got = await readResets(file, (w) => warnings.push(w));
    assert.deepEqual(
      got.map((r) => r.id),
      ['a', 'c'],
    );
    assert.deepEqual(warnings, [
      `tether: ${file} line 2: not valid JSON, skipped`,
      `tether: ${file} line 3: not a JSON object, skipped`,
      `tether: ${file} line 4: not a reset record (no id), skipped`,
    ]);
    assert.equal(await readFile(file, 'utf8'), before);
  });
});

test('update lines merge into their record on read; unknown ids warn', async () => {
  await withTemp(async (dir) => {
    const file = join(dir, 'resets.jsonl');
    await appendReset(file, sampleRecord('a', 'web', 'unknown', T));
    await appendReset(file, sampleRecord('b', 'web', 'firewall', T + 5000));
    await appendUpdate(file, 'a', {
      cause: 'session-killed',
      confidence: 0.92,
      evidence: ['kernel OOM killer: Killed process 42 (tmux: server)'],
    });
    await appendUpdate(file, 'zzz', { confidence: 0.1 });
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    assert.equal(lines.length, 4, 'appended, never rewritten');
    assert.deepEqual(JSON.parse(lines[2] ?? ''), {
      v: 1,
      id: 'a',
      update: true,
      cause: 'session-killed',
      confidence: 0.92,
      evidence: ['kernel OOM killer: Killed process 42 (tmux: server)'],
    });
    const warnings: string[] = [];
    const got = await readResets(file, (w) => warnings.push(w));
    assert.equal(got[0]?.cause, 'session-killed');
    assert.equal(got[0]?.confidence, 0.92);
    assert.deepEqual(got[0]?.evidence, ['kernel OOM killer: Killed process 42 (tmux: server)']);
    assert.equal(got[0]?.host, 'web', 'untouched fields stay');
    assert.equal(got[1]?.cause, 'firewall');
    assert.deepEqual(warnings, [`tether: ${file} line 4: update for unknown id zzz, skipped`]);
  });
});

test('records come back oldest first even when appended out of order', () => {
  const lines = [sampleRecord('late', 'h', 'reboot', T + 9000), sampleRecord('early', 'h', 'reboot', T)]
    .map((r) => JSON.stringify(r))
    .join('\n');
  assert.deepEqual(
    parseResets(lines, 'f', () => assert.fail('no warning expected')).map((r) => r.id),
    ['early', 'late'],
  );
});

test('terminal escapes and key blocks in evidence are neutralised', async () => {
  await withTemp(async (dir) => {
    const file = join(dir, 'resets.jsonl');
    const r = sampleRecord('x', 'web', 'unknown', T);
    r.evidence = ['sshd journal: \u001b]0;pwned\u0007 line', '-----BEGIN OPENSSH PRIVATE KEY-----'];
    await appendReset(file, r);
    const [got] = await readResets(file, () => undefined);
    assert.deepEqual(got?.evidence, ['sshd journal:  ]0;pwned  line']);
  });
});

test('an existing file with loose permissions is tightened to 0600 on append', async () => {
  await withTemp(async (dir) => {
    const file = join(dir, 'resets.jsonl');
    await writeFile(file, '', { mode: 0o644 });
    await appendReset(file, sampleRecord('a', 'web', 'reboot', T));
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });
});

/** Runs `n` appends of big records from a child process; resolves with its exit code. */
function childAppender(file: string, tag: string, n: number): Promise<number | null> {
  const logUrl = pathToFileURL(fileURLToPath(new URL('./log.ts', import.meta.url))).href;
  const recUrl = pathToFileURL(fileURLToPath(new URL('./test-records.ts', import.meta.url))).href;
  const code = `
    const { appendReset } = await import(${JSON.stringify(logUrl)});
    const { sampleRecord } = await import(${JSON.stringify(recUrl)});
    const [file, tag, n] = process.argv.slice(-3);
    await Promise.all(Array.from({ length: Number(n) }, (_, i) => {
      const r = sampleRecord(tag + '-' + i, 'host-' + tag, 'idle-timeout', ${T} + i);
      r.evidence = Array.from({ length: 40 }, (_, k) => tag.repeat(120) + ' evidence ' + k);
      return appendReset(file, r);
    }));
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, '--', file, tag, String(n)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve) => child.on('exit', (c) => resolve(c)));
}

test('20 concurrent appending processes never interleave lines', async () => {
  await withTemp(async (dir) => {
    const file = join(dir, 'state', 'tether', 'resets.jsonl');
    const tags = Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    const codes = await Promise.all(tags.map((t) => childAppender(file, t, 15)));
    assert.deepEqual(codes, tags.map(() => 0));
    const text = await readFile(file, 'utf8');
    const lines = text.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 20 * 15);
    assert.ok(lines.every((l) => l.length > 12_000), 'lines are large enough to tear if written in pieces');
    const warnings: string[] = [];
    const got = parseResets(text, file, (w) => warnings.push(w));
    assert.deepEqual(warnings, []);
    assert.equal(new Set(got.map((r) => r.id)).size, 300);
    for (const r of got) assert.ok(r.evidence.every((l) => l.startsWith(r.id.slice(0, 3))), r.id);
  });
});
