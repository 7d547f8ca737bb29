// Every live lab in this process, torn down on exit or SIGINT/SIGTERM if a test could not dispose it.
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runSync } from './run.js';
import { netnsPids } from './topology.js';
import { FREEZER_ROOT } from './freezer.js';

/** Something that can be torn down synchronously. */
export interface SyncDisposable {
  disposeSync(): void;
}

/** Host directory holding one sub-directory per live lab (not under /tmp or /run: see README in lab.ts). */
export const LAB_ROOT = '/var/lib/tether-lab';

// Labs not yet disposed; the exit hooks dispose whatever is left here.
const live = new Set<SyncDisposable>();
// Whether the process hooks are installed (once per process).
let hooked = false;

function disposeAll(): void {
  for (const lab of live) {
    try {
      lab.disposeSync();
    } catch {
      // keep tearing down the others
    }
  }
  live.clear();
}

/** Registers a lab for emergency teardown; returns the function that unregisters it. */
export function register(lab: SyncDisposable): () => void {
  if (!hooked) {
    hooked = true;
    process.on('exit', disposeAll);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(sig, () => {
        disposeAll();
        process.kill(process.pid, sig);
      });
    }
  }
  live.add(lab);
  return () => live.delete(lab);
}

/**
 * Removes what crashed runs left behind: labs under LAB_ROOT whose owner process is gone (their namespaces,
 * processes, freezer cgroups and files). Returns the prefixes it removed.
 */
export function reapStaleLabs(): string[] {
  if (!existsSync(LAB_ROOT)) return [];
  const removed: string[] = [];
  for (const prefix of readdirSync(LAB_ROOT)) {
    const dir = join(LAB_ROOT, prefix);
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8').trim());
    } catch {
      // no owner file: a half-made lab, stale unless very new
      if (Date.now() - statSync(dir).mtimeMs < 60_000) continue;
    }
    if (Number.isInteger(owner) && existsSync(`/proc/${owner}`)) continue;
    for (const ns of ['c', 'f', 's'].map((s) => `${prefix}-${s}`)) {
      for (const pid of netnsPids(ns)) runSync('kill', ['-9', String(pid)]);
      runSync('ip', ['netns', 'del', ns]);
    }
    if (existsSync(FREEZER_ROOT)) {
      for (const g of readdirSync(FREEZER_ROOT).filter((n) => n.startsWith(`${prefix}-`))) {
        const gdir = join(FREEZER_ROOT, g);
        runSync('sh', ['-c', `echo THAWED > ${gdir}/freezer.state; for p in $(cat ${gdir}/cgroup.procs); do echo $p > ${FREEZER_ROOT}/cgroup.procs; done; rmdir ${gdir}`]);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    removed.push(prefix);
  }
  return removed;
}
