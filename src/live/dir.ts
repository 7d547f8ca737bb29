// Where live sessions meet their readers: a private per-user directory of Unix sockets, one per session.
import { chmod, lstat, mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TetherError } from '../common/errors.js';

/** `$XDG_RUNTIME_DIR/tether`, else `<state dir>/run` (relative XDG values ignored, as the spec says). */
export function liveDir(env: Readonly<Record<string, string | undefined>>, stateDir: string): string {
  const runtime = env.XDG_RUNTIME_DIR;
  return runtime !== undefined && runtime.startsWith('/') ? join(runtime, 'tether') : join(stateDir, 'run');
}

/** Creates the directory 0700 and refuses one that is not ours or is a symlink (another user could read the sessions). */
export async function ensureLiveDir(dir: string, uid: number | undefined = process.getuid?.()): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const st = await lstat(dir);
    if (!st.isDirectory()) throw new Error('not a directory');
    if (uid !== undefined && st.uid !== uid) throw new Error(`owned by uid ${st.uid}, not ${uid}`);
    if ((st.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
  } catch (err) {
    throw new TetherError('io', `tether: live session directory ${dir}: ${(err as Error).message}`, { cause: err });
  }
}

/** A session's socket in the directory, named `<pid>-<random>.sock`. */
export interface LiveEntry {
  readonly path: string;
  readonly pid: number;
}

const ENTRY = /^(\d+)-[0-9a-f]+\.sock$/;

/** The socket file name for a session of process `pid`. */
export function entryName(pid: number, random: string): string {
  return `${pid}-${random}.sock`;
}

/** The sockets in the directory (other files are left alone); a missing directory has none. */
export async function listEntries(dir: string): Promise<LiveEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: LiveEntry[] = [];
  for (const name of names.sort()) {
    const m = ENTRY.exec(name);
    if (m) out.push({ path: join(dir, name), pid: Number(m[1]) });
  }
  return out;
}

/** Whether a process with this pid exists (EPERM: it exists, just not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes an entry whose process is gone; returns whether it was stale. */
export async function removeIfDead(entry: LiveEntry, alive: (pid: number) => boolean = processAlive): Promise<boolean> {
  if (alive(entry.pid)) return false;
  await removeEntry(entry.path);
  return true;
}

/** Removes a socket file; already gone is fine. */
export async function removeEntry(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}
