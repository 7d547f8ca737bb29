// Helpers shared by the benchmarks: sleeping, polling, and cleaning the lab between trials.
import type { Lab } from '../test/lab/index.js';

/** Resolves after ms. */
export function sleep(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms));
}

/** Polls fn every stepMs until it returns non-null or timeoutMs passes (then null). */
export async function poll<T>(fn: () => T | null, timeoutMs: number, stepMs = 50): Promise<T | null> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== null) return v;
    if (Date.now() >= end) return null;
    await sleep(stepMs);
  }
}

/** Ends every tmux session of the lab user (sessions left by the last trial) and clears the firewall faults. */
export async function resetLab(lab: Lab): Promise<void> {
  await lab.execInServer('tmux', ['kill-server'], { asUser: true }).catch(() => undefined);
  await lab.restorePath();
}

/** Progress on stderr (stdout stays quiet for the summary). */
export function log(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}
