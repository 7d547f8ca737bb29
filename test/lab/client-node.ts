// Runs a TypeScript/Node script inside the client namespace: how tether (or a driver of its transport) meets the faults.
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from './lab.js';

/** The repository root (two levels above test/lab), the cwd that makes `--import tsx` resolve. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Spawns `node --import tsx <script> ...args` in the client ns (tracked and killed on dispose by the lab). */
export function spawnNodeInClient(lab: Lab, script: string, args: readonly string[] = [], opts: SpawnOptions = {}): ChildProcess {
  return lab.spawnInClient(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...opts,
  });
}

/** Parses the JSON lines a client script printed (non-JSON lines are skipped). */
export function jsonLines(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    try {
      const v: unknown = JSON.parse(line);
      if (v !== null && typeof v === 'object') out.push(v as Record<string, unknown>);
    } catch {
      // not a JSON line
    }
  }
  return out;
}
