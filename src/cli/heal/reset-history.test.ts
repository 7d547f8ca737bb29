import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResetRecordDraft } from '../../recovery/index.js';
import type { ResetHistoryDeps } from './reset-history.js';
import { ResetHistory } from './reset-history.js';
import { OutageTracker } from './outage-tracker.js';

/** A session's history over a temp file; what the user was told (through the port) is kept in `flashes`. */
function history(dir: string): { h: ResetHistory; flashes: string[]; file: string } {
  const flashes: string[] = [];
  const file = join(dir, 'resets.jsonl');
  const deps = {
    clock: { mono: () => 50_000, wall: () => Date.now(), toWall: (m: number) => Date.now() - 50_000 + m },
    config: { host: 'web', hostname: 'web.example', port: 22 },
    recorder: { historyFile: file, hostState: undefined, hostStateKey: 'web', user: 'ann', session: 'tether-x', warn: () => undefined },
    learned: {},
    session: 'tether-x',
    say: (m: string) => void flashes.push(m),
    onRecorded: (_r: unknown, summary: string) => void flashes.push(summary),
    debug: () => undefined,
    outage: new OutageTracker(),
    liveness: { current: { snapshot: () => ({ keepaliveMs: 25_000 }) }, renew: () => undefined },
    tmux: () => true,
    currentLink: () => undefined,
    onIdleTimeout: () => undefined,
    pushStatus: () => undefined,
  } as unknown as ResetHistoryDeps;
  return { h: new ResetHistory(deps), flashes, file };
}

function draft(over: Partial<ResetRecordDraft>): ResetRecordDraft {
  return {
    detectedAt: 40_000,
    lastHeardAt: 39_000,
    restoredAt: 42_345,
    downtimeMs: 2345,
    trigger: 'ECONNRESET',
    attempts: 2,
    outcome: 'restored',
    failures: [],
    probesOk: 0,
    probesFailed: 0,
    linkDied: true,
    ...over,
  };
}

test('~r that brought the session back is not a reset: said on the bar, nothing in the history', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-rh-'));
  try {
    const { h, flashes, file } = history(dir);
    h.recordReset(draft({ trigger: 'user-retry', outcome: 'survived' }));
    await h.settle();
    assert.deepEqual(flashes, ['reconnected at your request (~r) in 2.3 s']);
    assert.throws(() => readFileSync(file), /ENOENT/);
    assert.equal(h.resetsToday, 0);
    assert.equal(h.lastDiagnosis, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('~r that found the old shell gone is recorded, with trigger user', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-rh-'));
  try {
    const { h, file } = history(dir);
    h.recordReset(draft({ trigger: 'user-retry', outcome: 'new-session' }));
    await h.settle();
    const rec = JSON.parse(readFileSync(file, 'utf8').trim()) as { trigger: string; outcome: string };
    assert.equal(rec.trigger, 'user');
    assert.equal(rec.outcome, 'new-session');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("one outage, one set of numbers: the bar's line and the history record say the same duration, cause, attempts", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-rh-'));
  try {
    const { h, flashes, file } = history(dir);
    h.recordReset(draft({}));
    await h.settle();
    const rec = JSON.parse(readFileSync(file, 'utf8').trim()) as { downtimeMs: number; cause: string; attempts: number };
    assert.equal(rec.attempts, 2);
    assert.equal(flashes.length, 1);
    assert.equal(flashes[0], `link down ${(rec.downtimeMs / 1000).toFixed(1)} s: ${rec.cause}`);
    assert.equal(h.lastDiagnosis?.cause, rec.cause);
    assert.equal(h.resetsToday, 1, 'resets today counts the record written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
