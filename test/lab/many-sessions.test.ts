// Many interactive tethers to one host, sharing one state directory, through one firewall reset: every one is
// restored into its own shell, and the shared history gets one whole record per session (appends from many
// processes at once never interleave or tear a line). TETHER_MANY_SESSIONS sets how many: a few in the lab tier,
// twenty under `npm run bench:many`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { healCase } from '../helpers/tether-lab-case.js';
import { quietTmux, readHostState, readResets, remoteShellPid, shortTcpRetries, typeLine, waitForOutage, waitForRestore } from '../helpers/tether-lab.js';
import type { TetherRun } from '../helpers/tether-lab.js';
import { waitUntil } from './index.js';

const N = Math.max(2, Number(process.env.TETHER_MANY_SESSIONS ?? 3) || 3);
/** The idle-limit case waits for every session's background measurement: the bench tier only. */
const BENCH = process.env.TETHER_MANY_SESSIONS !== undefined;
/** Sessions started at once (starting twenty together would only measure the machine's two cores). */
const BATCH = 5;

/** Starts N tethers sharing the XDG homes, BATCH at a time. */
async function startMany(start: (o: { stateHome: string; configHome: string }) => Promise<TetherRun>, stateHome: string, configHome: string): Promise<TetherRun[]> {
  const runs: TetherRun[] = [];
  for (let i = 0; i < N; i += BATCH) {
    runs.push(...(await Promise.all(Array.from({ length: Math.min(BATCH, N - i) }, () => start({ stateHome, configHome })))));
  }
  return runs;
}

/** Every line of a file is whole JSON (no two appends interleaved, none torn). */
function assertWholeLines(file: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  assert.equal(lines.pop(), '', 'the file ends with a line end');
  for (const [i, line] of lines.entries()) assert.doesNotThrow(() => JSON.parse(line), `line ${i + 1} is whole JSON: ${line.slice(0, 200)}`);
  return lines.length;
}

test(`${N} interactive tethers through one firewall reset: all restored, ${N} whole records`, { timeout: 90_000 + N * 20_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start, scratch }) => {
    await shortTcpRetries(lab);
    const stateHome = scratch('many-state');
    const configHome = scratch('many-config');
    const runs: TetherRun[] = [];
    runs.push(...(await startMany(start, stateHome, configHome)));
    const before = await Promise.all(runs.map((r, i) => remoteShellPid(r, `b${i}`, 30_000)));
    assert.equal(new Set(before).size, N, 'each tether has its own shell');

    const startedAt = Date.now();
    await lab.blockPort('rst');
    for (const r of runs) typeLine(r, ''); // a keystroke meets the reset
    await Promise.all(runs.map((r) => waitForOutage(r, 30_000)));
    await new Promise((res) => setTimeout(res, 2000));
    await lab.unblockPort();
    await Promise.all(runs.map((r) => waitForRestore(r, 60_000 + N * 3000)));
    const healedMs = Date.now() - startedAt;
    const after = await Promise.all(runs.map((r, i) => remoteShellPid(r, `a${i}`, 30_000)));
    assert.deepEqual(after, before, 'every tether is back in its own shell');

    const log = join(stateHome, 'tether', 'resets.jsonl');
    await waitUntil(() => readResets(stateHome).length >= N, `${N} records in the shared history`, 30_000, 250);
    await new Promise((res) => setTimeout(res, 2000)); // update lines (slow evidence) may follow
    const lineCount = assertWholeLines(log);
    const records = readResets(stateHome);
    assert.equal(records.length, N, 'one record per session');
    assert.equal(new Set(records.map((r) => r.session)).size, N, 'each record names its own session');
    for (const r of records) assert.equal(r.outcome, 'restored');
    const hosts = join(stateHome, 'tether', 'hosts.json');
    if (existsSync(hosts)) assert.doesNotThrow(() => JSON.parse(readFileSync(hosts, 'utf8')), 'hosts.json is whole JSON');
    t.diagnostic(`${N} sessions: all restored ${healedMs} ms after the reset began; ${lineCount} history lines, all whole`);
  });
});

test(`${N} idle tethers through one firewall idle timeout: ${N} idle-timeout records, the learned limit whole`, { skip: BENCH ? false : 'bench tier (npm run bench:many)', timeout: 150_000 + N * 20_000 }, async (t) => {
  // all N reconnect at once: above sshd's default MaxStartups (10) some would be dropped before the banner and
  // diagnosed refused-before-banner instead of idle-timeout (a finding of its own); here the limit is the subject
  await healCase(t, { sshdOptions: ['MaxStartups 100:30:200'] }, async ({ lab, start, scratch }) => {
    quietTmux(lab); // no tmux status clock: the idle sessions are truly silent
    await lab.idleTimeout(8, 'rst'); // under tether's default 25 s keep-alive: every session loses its link
    await shortTcpRetries(lab);
    const stateHome = scratch('idle-state');
    const runs = await startMany(start, stateHome, scratch('idle-config'));
    const before = await Promise.all(runs.map((r, i) => remoteShellPid(r, `b${i}`, 30_000)));
    await waitUntil(() => readResets(stateHome).length >= N, `${N} records in the shared history`, 90_000, 500);
    const records = readResets(stateHome);
    assert.equal(records.filter((r) => r.cause === 'idle-timeout').length, N, `causes: ${records.map((r) => r.cause).join(' ')}`);
    // every session measures the limit in the background and stores it: the file stays whole JSON throughout
    const learned = await waitUntil(() => {
      const text = readHostState(stateHome);
      assert.doesNotThrow(() => text === '' || JSON.parse(text), `hosts.json is whole JSON: ${text.slice(0, 300)}`);
      const hosts = text === '' ? {} : ((JSON.parse(text) as { hosts?: Record<string, { idleSurvivedMs?: number; keepaliveMs?: number }> }).hosts ?? {});
      const h = Object.values(hosts)[0];
      return h?.keepaliveMs !== undefined && (h.idleSurvivedMs ?? 0) > 0 ? h : undefined;
    }, 'the learned idle limit in hosts.json', 90_000, 250);
    assert.ok(learned !== undefined && (learned.keepaliveMs ?? 0) < 8000, `a keep-alive under the 8 s limit: ${JSON.stringify(learned)}`);
    const after = await Promise.all(runs.map((r, i) => remoteShellPid(r, `a${i}`, 30_000)));
    assert.deepEqual(after, before, 'every tether is back in its own shell');
    t.diagnostic(`${N} sessions: ${assertWholeLines(join(stateHome, 'tether', 'resets.jsonl'))} history lines, all whole; learned ${JSON.stringify(learned)}`);
  });
});
