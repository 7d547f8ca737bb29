import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_EVIDENCE, createSessionMachine, initialSessionState } from '../recovery/index.js';
import type { EndedOutage, OutageEnd, SessionEvent, SessionState } from '../recovery/index.js';
import type { ResetHistoryDeps } from './reset-history.js';
import { ResetHistory } from './reset-history.js';

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
    liveness: { current: { snapshot: () => ({ keepaliveMs: 25_000 }) }, renew: () => undefined },
    tmux: () => true,
    currentLink: () => undefined,
    onIdleTimeout: () => undefined,
    pushStatus: () => undefined,
  } as unknown as ResetHistoryDeps;
  return { h: new ResetHistory(deps), flashes, file };
}

/** An outage record detected at 40 s, ended 2.345 s later (restored unless `end` says otherwise). */
function outage(trigger: string, end: Partial<OutageEnd> = {}): EndedOutage {
  return {
    detectedAt: 40_000,
    lastHeardAt: 39_000,
    trigger,
    attempts: 2,
    failures: [],
    probesOk: 0,
    probesFailed: 0,
    downAt: 40_000,
    evidence: NO_EVIDENCE,
    end: { at: 42_345, outcome: 'restored', restored: true, ...end },
  };
}

test('~r that brought the session back is not a reset: said on the bar, nothing in the history', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-rh-'));
  try {
    const { h, flashes, file } = history(dir);
    h.recordReset(outage('user-retry', { outcome: 'survived' }));
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
    h.recordReset(outage('user-retry', { outcome: 'new-session' }));
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
    h.recordReset(outage('ECONNRESET'));
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

test('one outage record from detection to history: a wake seen just before the link died is in the diagnosis', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-rh-'));
  try {
    const { h, file } = history(dir);
    const m = createSessionMachine({ random: () => 0.5 });
    let state: SessionState = initialSessionState(1);
    const feed = (e: SessionEvent, now: number): void => {
      const t = m.reduce(state, e, now);
      state = t.state;
      for (const fx of t.effects) if (fx.type === 'recordReset') h.recordReset(fx.outage);
    };
    // the loop woke 40 s late while the link looked healthy (no outage yet): kept for the outage it may start
    feed({ type: 'suspend-detected', drift: { timerLateMs: 40_000, wallAheadOfMonotonicMs: 40_000, detectedAt: Date.now() }, awayMs: 40_000 }, 30_000);
    assert.equal(state.outage, undefined);
    feed({ type: 'link-error', linkId: 1, kind: 'link', code: 'ECONNRESET', fatal: false, message: 'reset', lastHeardAt: 29_000 }, 31_000);
    // a straggler from no outage is not evidence; this attempt's result is
    feed({ type: 'outage-fact', fact: { kind: 'attempt', attempt: { result: 'ok', startedAt: Date.now(), durationMs: 40 } } }, 31_100);
    const current = (): SessionState => state; // fed through the closure above
    assert.equal(current().outage?.evidence.drift?.timerLateMs, 40_000, 'the outage took the wake that led up to it');
    assert.equal(current().outage?.evidence.attempts.length, 1);
    feed({ type: 'attempt-succeeded', linkId: 2 }, 31_100);
    feed({ type: 'restore-done', linkId: 2, newSession: false }, 31_300);
    await h.settle();
    const rec = JSON.parse(readFileSync(file, 'utf8').trim()) as { cause: string; evidence: string[]; downtimeMs: number; trigger: string };
    assert.equal(rec.cause, 'client-suspend', rec.evidence.join('; '));
    assert.equal(rec.trigger, 'ECONNRESET');
    assert.equal(rec.downtimeMs, 300);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a wake long before the link died is not evidence for it', () => {
  const m = createSessionMachine({ random: () => 0.5 });
  let state: SessionState = initialSessionState(1);
  state = m.reduce(state, { type: 'outage-fact', fact: { kind: 'drift', drift: { timerLateMs: 40_000, wallAheadOfMonotonicMs: 0, detectedAt: 0 } } }, 0).state;
  state = m.reduce(state, { type: 'outage-fact', fact: { kind: 'attempt', attempt: { result: 'timeout', startedAt: 0, durationMs: 1 } } }, 0).state;
  state = m.reduce(state, { type: 'link-error', linkId: 1, kind: 'link', code: 'ECONNRESET', fatal: false, message: 'reset' }, 61_000).state;
  assert.equal(state.outage?.evidence.drift, undefined);
  assert.deepEqual(state.outage?.evidence.attempts, [], 'an attempt result with no outage is a straggler');
  assert.deepEqual(state.leadingFacts, []);
});
