// A sink's queue on disk: one file per event (written whole, then renamed into place), named so that
// names sort in the order the events were made; an event leaves the queue only once its sink took it.
import { mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ResetEvent } from './event.js';
import { readEvent } from './event.js';

/** Most events kept per sink: beyond it the oldest are dropped (and counted in the sink's status). */
export const DEFAULT_MAX_EVENTS = 1000;

const EVENT_FILE = /^\d{15}-\d{8}-\d{6}\.json$/;
const TEMP_FILE = /^\.\d{15}-\d{8}-\d{6}\.json\.tmp$/;

/** A temporary file this old was left by a process that died between write and rename. */
const STALE_TEMP_MS = 10 * 60_000;

/** The last stamp handed out by this process: names never go back in time, even if the wall clock does. */
let lastStamp = 0;
let seq = 0;

/** `000001764989123456-00004242-000007.json`: time, pid, a counter; sorts in emission order. */
function nextName(now: number): string {
  const stamp = Math.max(now, lastStamp);
  seq = stamp === lastStamp ? seq + 1 : 0;
  lastStamp = stamp;
  return `${String(stamp).padStart(15, '0')}-${String(process.pid).padStart(8, '0')}-${String(seq % 1e6).padStart(6, '0')}.json`;
}

/** Lock files this process holds (a lock naming our pid that is not here is a stale one from a reused pid). */
const held = new Set<string>();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** One sink's queue directory (0700; files 0600). */
export class DiskQueue {
  private readonly lockPath: string;

  constructor(
    readonly dir: string,
    private readonly maxEvents = DEFAULT_MAX_EVENTS,
  ) {
    this.lockPath = join(dir, 'lock');
  }

  /** Adds an event at the end; resolves to how many of the oldest were dropped to stay within the bound. */
  async push(event: ResetEvent, now = Date.now()): Promise<number> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const name = nextName(now);
    const tmp = join(this.dir, `.${name}.tmp`);
    await writeFile(tmp, JSON.stringify(event), { mode: 0o600 });
    await rename(tmp, join(this.dir, name));
    const names = await this.list();
    const excess = names.length - this.maxEvents;
    for (const old of names.slice(0, Math.max(0, excess))) await this.remove(old);
    return Math.max(0, excess);
  }

  /** The queued events' names, oldest first. */
  async list(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((n) => EVENT_FILE.test(n)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /** The event in a queue file; undefined if it is gone or damaged. */
  async read(name: string): Promise<ResetEvent | undefined> {
    const text = await readFile(join(this.dir, name), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : readEvent(text);
  }

  /** Takes an event out (delivered, damaged or dropped). */
  async remove(name: string): Promise<void> {
    await unlink(join(this.dir, name)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /** Becomes the one process that delivers this queue; false while another live process is. */
  async lock(): Promise<boolean> {
    if (held.has(this.lockPath)) return false;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (let tries = 0; tries < 2; tries++) {
      try {
        const fh = await open(this.lockPath, 'wx', 0o600);
        await fh.writeFile(String(process.pid));
        await fh.close();
        held.add(this.lockPath);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const pid = Number(await readFile(this.lockPath, 'utf8').catch(() => ''));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) return false;
      // the holder died (or never wrote its pid): the lock is stale
      await this.remove('lock');
    }
    return false;
  }

  /** Removes temporary files left by processes that died mid-push (call while holding the lock). */
  async sweep(now = Date.now()): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const n of names.filter((x) => TEMP_FILE.test(x))) {
      const st = await stat(join(this.dir, n)).catch(() => undefined);
      if (st !== undefined && now - st.mtimeMs > STALE_TEMP_MS) await unlink(join(this.dir, n)).catch(() => undefined);
    }
  }

  /** Gives the queue up (synchronous, so that it also runs while the process exits). */
  unlock(): void {
    if (!held.delete(this.lockPath)) return;
    try {
      if (readFileSync(this.lockPath, 'utf8') === String(process.pid)) unlinkSync(this.lockPath);
    } catch {
      // already gone
    }
  }
}
