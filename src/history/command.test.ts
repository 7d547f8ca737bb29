import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryIo } from './command.js';
import { runHistoryCommand } from './command.js';
import { appendReset, appendUpdate, resetsPath } from './log.js';
import { summarize } from './query.js';
import { sampleRecord } from './test-records.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const H = 3_600_000;

interface Run {
  code: number;
  out: string;
  err: string;
}

/** A temp state dir with five resets on three hosts over four days, and one damaged line. */
async function withLog(fn: (run: (args: string[], extra?: Partial<HistoryIo>) => Promise<Run>) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tether-hcmd-'));
  const file = resetsPath(join(dir, 'state', 'tether'));
  try {
    await appendReset(file, sampleRecord('r1', 'web', 'idle-timeout', NOW - 96 * H, 2000));
    await appendReset(file, sampleRecord('r2', 'db', 'firewall', NOW - 50 * H, 65_000, 'gave-up'));
    await appendFile(file, 'garbage that is not json\n');
    await appendReset(file, sampleRecord('r4', 'web', 'idle-timeout', NOW - 5 * H, 3000));
    await appendReset(file, sampleRecord('r3', 'web', 'reboot', NOW - 20 * H, 40_000));
    await appendReset(file, sampleRecord('r5', 'bastion', 'network', NOW - 10 * 60_000, 1500));
    await appendUpdate(file, 'r5', { evidence: ['interface wlan0 went down'] });
    await fn(async (args, extra = {}) => {
      let out = '';
      let err = '';
      const code = await runHistoryCommand(args, {
        stdout: { write: (s: string) => (out += s) },
        stderr: { write: (s: string) => (err += s) },
        isTTY: false,
        file,
        now: NOW,
        ...extra,
      });
      return { code, out, err };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Text without SGR colour codes. */
const stripSgr = (s: string): string => s.split('\u001b[').map((p, i) => (i === 0 ? p : p.replace(/^[0-9;]*m/, ''))).join('');

const ids = (jsonOut: string): string[] =>
  jsonOut
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { id: string }).id);

test('--json: one valid object per line, oldest first, update merged, damaged line warned once', async () => {
  await withLog(async (run) => {
    const r = await run(['--json']);
    assert.equal(r.code, 0);
    assert.deepEqual(ids(r.out), ['r1', 'r2', 'r3', 'r4', 'r5']);
    const lines = r.out.trim().split('\n');
    for (const l of lines) assert.equal(typeof JSON.parse(l), 'object');
    const last = JSON.parse(lines[4] ?? '') as Record<string, unknown>;
    assert.deepEqual(last.evidence, ['interface wlan0 went down']);
    assert.equal(last.update, undefined, 'update flag is not printed');
    assert.deepEqual(Object.keys(last), [
      'v', 'id', 'host', 'hostname', 'port', 'user', 'session', 'detectedAt', 'lastHeardAt', 'restoredAt',
      'downtimeMs', 'trigger', 'cause', 'confidence', 'evidence', 'advice', 'attempts', 'outcome', 'keepaliveMs',
    ]);
    assert.equal(r.err.trim().split('\n').length, 1);
    assert.match(r.err, /^tether: .*resets\.jsonl line 3: not valid JSON, skipped\n$/);
  });
});

test('filters: host, --since (relative and ISO), --cause, combined', async () => {
  await withLog(async (run) => {
    assert.deepEqual(ids((await run(['web', '--json'])).out), ['r1', 'r3', 'r4']);
    assert.deepEqual(ids((await run(['db.example', '--json'])).out), ['r2'], 'hostname matches too');
    assert.deepEqual(ids((await run(['--since', '2d', '--json'])).out), ['r3', 'r4', 'r5']);
    assert.deepEqual(ids((await run(['--since=30m', '--json'])).out), ['r5']);
    assert.deepEqual(ids((await run(['--since', '2026-11-20T00:00:00Z', '--json'])).out), ['r2', 'r3', 'r4', 'r5']);
    assert.deepEqual(ids((await run(['--cause', 'idle-timeout', '--json'])).out), ['r1', 'r4']);
    assert.deepEqual(ids((await run(['web', '--since', '1d', '--cause', 'idle-timeout', '--json'])).out), ['r4']);
    assert.equal((await run(['nosuchhost', '--json'])).out, '');
  });
});

test('bad --since value: exit 2 and one clean line on stderr, nothing on stdout', async () => {
  await withLog(async (run) => {
    const r = await run(['--since', 'soon']);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err, 'tether: history: --since: bad value "soon" (expected a duration like 2d, 3h, 30m or an ISO date like 2026-11-22T03:00Z)\n');
  });
});

test('piped: plain aligned columns and the per-host summary, no escape codes', async () => {
  await withLog(async (run) => {
    const r = await run([], {
      hostState: { 'alice@web.example:22': { idleBoundMs: 300_000, keepaliveMs: 150_000 } },
    });
    assert.equal(r.code, 0);
    assert.ok(!r.out.includes('\u001b'), 'no ANSI when piped');
    const lines = r.out.split('\n');
    assert.match(lines[0] ?? '', /^WHEN\s+HOST\s+CAUSE\s+CONF\s+DOWN\s+OUTCOME\s+WHY$/);
    const causeCol = (lines[0] ?? '').indexOf('CAUSE');
    for (const l of lines.slice(1, 6)) assert.ok(/^[a-z-]+ /.test(l.slice(causeCol)), `aligned: ${l}`);
    assert.match(lines[1] ?? '', /^2026-11-18 12:00:00Z\s+web\s+idle-timeout\s+0\.90 high\s+2 s\s+restored\s+idle-timeout evidence for r1$/);
    assert.match(r.out, /\nweb\s+3 resets \(idle-timeout 2, reboot 1\); down 45 s in total; idle limit 300 s; keep-alive 150 s\n/);
    assert.match(r.out, /\ndb\s+1 reset \(firewall 1\); down 65 s in total; idle limit not learned; keep-alive 25 s\n/);
  });
});

test('on a TTY: bold header, coloured causes, rows fitted to the width', async () => {
  await withLog(async (run) => {
    const r = await run([], { isTTY: true, columns: 80 });
    assert.ok(r.out.includes('\u001b[1mWHEN'), 'bold header');
    assert.ok(r.out.includes('\u001b[33midle-timeout'), 'coloured cause');
    const visible = stripSgr(r.out);
    const tableLines = visible.split('\n\n')[0]?.split('\n') ?? [];
    for (const l of tableLines) assert.ok(l.length <= 80, `fits: ${l.length} ${l}`);
    assert.ok(!tableLines[0]?.includes('WHY'), 'no room for WHY in 80 columns');
    const wide = stripSgr((await run([], { isTTY: true, columns: 100 })).out);
    const wideLines = wide.split('\n\n')[0]?.split('\n') ?? [];
    assert.ok(wideLines[0]?.endsWith('WHY'));
    assert.ok(wideLines.some((l) => l.endsWith('…')), 'long WHY cut with an ellipsis');
    for (const l of wideLines) assert.ok(l.length <= 100, `fits: ${l.length} ${l}`);
  });
});

test('--tui without a terminal is refused cleanly', async () => {
  await withLog(async (run) => {
    const r = await run(['--tui']);
    assert.equal(r.code, 2);
    assert.equal(r.err, 'tether: history: --tui needs a terminal (use --json or plain output when piped)\n');
  });
});

test('empty log and --help', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tether-hcmd-'));
  try {
    let out = '';
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, isTTY: false, file: resetsPath(join(dir, 'none')), now: () => NOW };
    assert.equal(await runHistoryCommand([], io), 0);
    assert.match(out, /^no resets recorded \(.*\/none\/resets\.jsonl\)\n$/);
    out = '';
    assert.equal(await runHistoryCommand(['--help'], io), 0);
    assert.match(out, /^usage: tether history/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('summary falls back from user@hostname:port to the alias key', () => {
  const s = summarize([sampleRecord('a', 'web', 'idle-timeout', NOW)], { web: { idleBoundMs: 240_000 } });
  assert.equal(s[0]?.idleLimitMs, 240_000);
  assert.equal(s[0]?.keepaliveMs, 25_000, 'from the record when the state has none');
});
