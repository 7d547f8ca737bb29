// Files and directories tether creates are the user's alone: directories 0700, files 0600 (see SECURITY.md).
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import type { Stats } from 'node:fs';

/** Mode of every directory tether creates. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of every file tether creates. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` and any missing parents with mode 0700. A directory of tether's own (`ownLeaf`) that exists with
 * group or other bits (an older tether made it 0755) and belongs to this user is tightened to 0700.
 */
export function ensurePrivateDir(dir: string, ownLeaf = true): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!ownLeaf) return;
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (st.isDirectory() && (st.mode & 0o077) !== 0 && (uid === undefined || st.uid === uid)) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Why tether will not use an existing file at `path` (a symlink, not a regular file, another user's, too big), or
 * undefined when it may (or when there is no file yet). Checked without following a symlink. */
export function unusableFile(path: string, maxBytes = Infinity): string | undefined {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return (err as Error).message;
  }
  return statProblem(st, maxBytes);
}

/** The same checks on a file's stat (an open descriptor's fstat, or lstat). */
export function statProblem(st: Stats, maxBytes = Infinity): string | undefined {
  if (st.isSymbolicLink()) return 'is a symbolic link (tether does not follow links for its own files)';
  if (!st.isFile()) return 'is not a regular file';
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return `belongs to uid ${st.uid}, not to this user (uid ${uid})`;
  if (st.size > maxBytes) return `is ${mib(st.size)}, more than the ${mib(maxBytes)} tether reads of it`;
  return undefined;
}

/** A size in MiB for a message. */
function mib(bytes: number): string {
  return `${Math.round((bytes / 1048576) * 10) / 10} MiB`;
}
