// Files and directories tether creates are the user's alone: directories 0700, files 0600 (see SECURITY.md).
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';

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
