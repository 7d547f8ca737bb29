// cgroup v1 freezer: stops a client process the way a suspended laptop would, without stopping the lab.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Mount point of the cgroup v1 freezer hierarchy. */
export const FREEZER_ROOT = '/sys/fs/cgroup/freezer';

/** The freezer cgroup a process is in now (path relative to the freezer root). */
function currentGroup(pid: number): string {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
  const line = lines.find((l) => l.split(':')[1]?.split(',').includes('freezer'));
  return line?.split(':')[2] ?? '/';
}

/** One frozen (or thawed) process and the cgroup made for it. */
interface FrozenEntry {
  readonly dir: string;
  readonly returnTo: string;
}

/** Freezes and thaws processes, each in its own cgroup named after the lab. */
export class Freezer {
  /** Name prefix for the cgroups of this lab. */
  private readonly prefix: string;
  /** pid -> its cgroup, so thaw() and dispose() know what to undo. */
  private readonly groups = new Map<number, FrozenEntry>();

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  /** Moves the process into a fresh freezer cgroup and freezes it; resolves once the kernel reports FROZEN. */
  async freeze(pid: number): Promise<void> {
    let entry = this.groups.get(pid);
    if (!entry) {
      const dir = join(FREEZER_ROOT, `${this.prefix}-${pid}`);
      const returnTo = join(FREEZER_ROOT, currentGroup(pid));
      mkdirSync(dir, { recursive: true });
      entry = { dir, returnTo };
      this.groups.set(pid, entry);
      writeFileSync(join(dir, 'cgroup.procs'), String(pid));
    }
    writeFileSync(join(entry.dir, 'freezer.state'), 'FROZEN');
    for (let i = 0; i < 200 && this.state(pid) !== 'FROZEN'; i++) await new Promise((r) => setTimeout(r, 10));
  }

  /** The freezer state (FROZEN, FREEZING, THAWED) of a process this freezer manages, or undefined. */
  state(pid: number): string | undefined {
    const entry = this.groups.get(pid);
    if (!entry || !existsSync(entry.dir)) return undefined;
    return readFileSync(join(entry.dir, 'freezer.state'), 'utf8').trim();
  }

  /** Thaws the process, moves it back to its old cgroup and removes the one made for it. */
  thaw(pid: number): void {
    const entry = this.groups.get(pid);
    if (!entry) return;
    this.groups.delete(pid);
    release(entry);
  }

  /** Thaws everything still frozen and removes the cgroups (synchronous: also used on exit). */
  disposeSync(): void {
    for (const [pid, entry] of this.groups) {
      this.groups.delete(pid);
      release(entry);
    }
  }
}

function release(entry: FrozenEntry): void {
  if (!existsSync(entry.dir)) return;
  try {
    writeFileSync(join(entry.dir, 'freezer.state'), 'THAWED');
  } catch {
    // a removed cgroup has nothing left to thaw
  }
  for (const p of readFileSync(join(entry.dir, 'cgroup.procs'), 'utf8').split('\n').filter((s) => s !== '')) {
    try {
      writeFileSync(join(entry.returnTo, 'cgroup.procs'), p);
    } catch {
      writeFileSync(join(FREEZER_ROOT, 'cgroup.procs'), p);
    }
  }
  // a process exiting right now may still count as a member for a moment: retry briefly
  for (let i = 0; i < 50 && existsSync(entry.dir); i++) {
    try {
      rmdirSync(entry.dir);
    } catch {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}
