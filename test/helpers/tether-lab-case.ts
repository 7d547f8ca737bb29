// One fault-lab case around a running tether: lab up, tether in a pty, the body, and a report on failure; tether is
// killed by PID and its scratch directories removed whatever happens.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { confidenceLabel } from '../../src/diagnosis/classify.js';
import { startLab } from '../lab/index.js';
import type { Lab, LabOptions } from '../lab/index.js';
import {
  failureReport,
  remoteShellPid,
  removeScratch,
  scratchDir,
  shortTcpRetries,
  spawnTetherInClient,
  typeLine,
  waitForOutage,
  waitForPrompt,
  waitForResets,
} from './tether-lab.js';
import type { ResetLine, TetherRun, TetherSpawnOptions } from './tether-lab.js';

/** A lab and a helper that starts tether in it (each run killed at the end). */
export interface HealCase {
  readonly lab: Lab;
  /** Starts tether (default options merged with these), waits for the shell prompt. */
  start(opts?: TetherSpawnOptions): Promise<TetherRun>;
  /** A scratch directory removed at the end (for XDG homes shared by two runs). */
  scratch(tag: string): string;
}

/**
 * Runs `body` with a fresh lab (skipped when the lab cannot run, see test/lab/README.md). On failure the error
 * message gets the screen, the trace, the history and sshd's log of the last tether started.
 */
export async function healCase(t: TestContext, labOpts: LabOptions, body: (c: HealCase) => Promise<void>): Promise<void> {
  const lab = await startLab(t, labOpts);
  if (!lab) return;
  const runs: TetherRun[] = [];
  const dirs: string[] = [];
  const c: HealCase = {
    lab,
    async start(opts = {}) {
      const stateHome = opts.stateHome ?? c.scratch('state');
      const configHome = opts.configHome ?? c.scratch('config');
      const r = spawnTetherInClient(lab, { ...opts, stateHome, configHome });
      runs.push(r);
      await waitForPrompt(r);
      return r;
    },
    scratch(tag) {
      const d = scratchDir(tag);
      dirs.push(d);
      return d;
    },
  };
  try {
    await body(c);
  } catch (err) {
    const report = failureReport(lab, runs[runs.length - 1]);
    if (err instanceof Error) err.message = `${err.message}\n${report}`;
    throw err;
  } finally {
    for (const r of runs) r.kill();
    for (const d of dirs) removeScratch(d);
  }
}

/**
 * Makes logins as slow as told, without touching the port or the banner (so no evidence changes): the client key
 * moves from authorized_keys to an AuthorizedKeysCommand that sleeps first. Returns the delay setter (seconds).
 */
export async function slowLogins(lab: Lab, sshdOptions: readonly string[] = []): Promise<(seconds: number) => void> {
  const script = join(lab.dir, 'slow-keys.sh');
  const delay = join(lab.dir, 'login-delay');
  const keys = join(lab.dir, 'slow-keys.pub');
  writeFileSync(keys, `${lab.clientKey.publicKey}\n`, { mode: 0o644 });
  writeFileSync(delay, '0\n', { mode: 0o644 });
  writeFileSync(script, `#!/bin/sh\nsleep "$(cat ${delay})"\ncat ${keys}\n`, { mode: 0o755 });
  lab.revokeKey(lab.clientKey);
  await lab.setSshdOptions([...sshdOptions, `AuthorizedKeysCommand ${script} %u`, 'AuthorizedKeysCommandUser nobody']);
  return (seconds) => writeFileSync(delay, `${seconds}\n`);
}

/** `sleep 3; echo during-21-outage`: output the shell makes while the link is down (the typed line never matches). */
export const DURING_CMD = 'sleep 3; echo during-$((20+1))-outage';
export const DURING_OUT = /during-21-outage/;
/** The keys typed while tether is down; their output proves they ran after the restore. */
export const HELD_CMD = 'echo held-$((6*7))';
export const HELD_OUT = /held-42/;

/** Types HELD_CMD once the trace shows the outage; returns whether the restore had not happened yet (truly held). */
export async function typeHeldKeys(r: TetherRun, detectMs: number): Promise<boolean> {
  await waitForOutage(r, detectMs);
  const restoredAlready = /"type":"restore-done"/.test(r.trace());
  typeLine(r, HELD_CMD);
  return !restoredAlready;
}

/** After the restore: the same shell, the held keys ran, the outage's output is there. */
export async function assertSameShell(r: TetherRun, pidBefore: number, opts: { during: boolean; healMs: number }): Promise<void> {
  await r.driver.waitForText(HELD_OUT, opts.healMs);
  if (opts.during) await r.driver.waitForText(DURING_OUT, 10_000);
  const after = await remoteShellPid(r, 'after');
  assert.equal(after, pidBefore, 'the same remote shell after the heal');
  // exactly once: neither lost nor sent twice (a batch resent after the reconnect), nor replayed twice
  assert.equal(countLines(r, HELD_OUT), 1, 'the held keys ran exactly once');
  if (opts.during) assert.equal(countLines(r, DURING_OUT), 1, "the outage's output is in the terminal exactly once");
}

/** How many lines of the terminal (scrollback and screen) are exactly what the pattern matches. */
export function countLines(r: TetherRun, re: RegExp): number {
  const whole = new RegExp(`^${re.source}$`);
  return r.driver.allLines().filter((l) => whole.test(l)).length;
}

/** The first reset record once written (and a moment for a follow-up update line). */
export async function firstReset(r: TetherRun): Promise<ResetLine> {
  await waitForResets(r, 1, 20_000);
  // the slow facts (journal, OOM) may amend the record with an update line shortly after
  await new Promise((res) => setTimeout(res, 1500));
  const rec = r.resets()[0];
  assert.ok(rec, 'a reset record');
  return rec;
}

/** A confidence band (src/diagnosis/classify.ts): high >= 0.8, medium >= 0.5, low below. */
export type Band = 'high' | 'medium' | 'low';

/** Asserts the recorded cause and its confidence band, with the evidence in the message. */
export function assertCause(rec: ResetLine, fault: string, cause: string, band: Band, more = ''): void {
  const why = `${fault}: cause ${rec.cause} (${rec.confidence}); evidence:\n${rec.evidence.join('\n')}${more}`;
  assert.equal(rec.cause, cause, why);
  assert.equal(confidenceLabel(rec.confidence), band, why);
}

/** One line for the lab report: fault, cause, confidence, outcome, trigger. */
export function logCause(t: TestContext, fault: string, rec: ResetLine | undefined): void {
  const line = rec ? `${fault}: cause=${rec.cause} confidence=${rec.confidence} outcome=${rec.outcome} trigger=${rec.trigger}` : `${fault}: no record`;
  t.diagnostic(line);
  if (rec) t.diagnostic(`${fault} evidence: ${rec.evidence.join(' | ')}`);
  process.stderr.write(`[heal-lab] ${line}\n`);
}

/** A fault applied and later undone while the server keeps running (firewall, path, local link). */
export interface NetworkFault {
  /** Name in the report, e.g. 'firewall DROP'. */
  readonly name: string;
  readonly apply: (lab: Lab) => Promise<void>;
  readonly undo: (lab: Lab) => Promise<void>;
  /** The cause the history must record, and its confidence band. */
  readonly cause: string;
  readonly band: Band;
  /** How long the fault lasts once tether noticed it (default 5 s). */
  readonly outageMs?: number;
  /** A known product bug that makes the cause wrong (at times): the cause check becomes a todo subtest. */
  readonly causeTodo?: string;
}

/**
 * The standard heal of a network fault while the user types: shell PID, a command whose output comes during the
 * outage, the fault, a keystroke (Enter) to make tether look, the held command once it noticed, the fault undone,
 * then the same shell with both outputs and the history's cause.
 */
export async function healNetworkFault(t: TestContext, f: NetworkFault): Promise<void> {
  await healCase(t, {}, async ({ lab, start }) => {
    await shortTcpRetries(lab);
    const r = await start();
    const before = await remoteShellPid(r, 'before');
    typeLine(r, DURING_CMD);
    await r.driver.waitForText(/sleep 3; echo during/, 10_000);
    await f.apply(lab);
    typeLine(r, '');
    const held = await typeHeldKeys(r, 30_000);
    await new Promise((res) => setTimeout(res, f.outageMs ?? 5000));
    await f.undo(lab);
    await assertSameShell(r, before, { during: true, healMs: 45_000 });
    assert.ok(held, 'the held keys were typed before the restore');
    const rec = await firstReset(r);
    logCause(t, f.name, rec);
    assert.equal(rec.outcome, 'restored');
    const trace = `\n${r.trace().split('\n').slice(-25).join('\n')}`;
    if (f.causeTodo === undefined) assertCause(rec, f.name, f.cause, f.band, trace);
    else await t.test(`the history says ${f.cause}`, { todo: f.causeTodo }, () => assertCause(rec, f.name, f.cause, f.band, trace));
  });
}

/** A server-side fault: `apply` breaks the link, `undo` (after the held keys were typed) lets tether back in. */
export interface ServerFault {
  readonly name: string;
  /** Breaks the link; `loginDelay` makes the next logins slow (seconds) so the outage outlasts the held keys. */
  readonly apply: (lab: Lab, loginDelay: (seconds: number) => void) => Promise<void>;
  readonly undo: (lab: Lab, loginDelay: (seconds: number) => void) => Promise<void>;
  readonly cause: string;
  readonly band: Band;
}

/** The standard heal of a server-side fault where the remote shell lives on (tmux survives). */
export async function healServerFault(t: TestContext, f: ServerFault): Promise<void> {
  await healCase(t, {}, async ({ lab, start }) => {
    const loginDelay = await slowLogins(lab);
    const r = await start();
    const before = await remoteShellPid(r, 'before');
    typeLine(r, DURING_CMD);
    await r.driver.waitForText(/sleep 3; echo during/, 10_000);
    await f.apply(lab, loginDelay);
    const held = await typeHeldKeys(r, 15_000);
    await new Promise((res) => setTimeout(res, 3500));
    await f.undo(lab, loginDelay);
    await assertSameShell(r, before, { during: true, healMs: 30_000 });
    assert.ok(held, 'the held keys were typed before the restore');
    const rec = await firstReset(r);
    logCause(t, f.name, rec);
    assert.equal(rec.outcome, 'restored');
    assertCause(rec, f.name, f.cause, f.band);
  });
}
