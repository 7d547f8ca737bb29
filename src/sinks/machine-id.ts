// This machine's id in events: derived from /etc/machine-id with a keyed hash, as machine-id(5) asks of
// applications (the raw id is confidential); without one, a random id kept in tether's state directory.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** tether's fixed application key for the hash (any constant works; it only has to never change). */
const APP_KEY = '5d2a9e1c7b3f48a6a0c4e8f2d6b19e37';

/** The file kept when the system has no machine id. */
export const MACHINE_ID_FILE = 'machine-id';

/** The app-specific id for a system machine id (32 hex digits, like sd_id128_get_machine_app_specific's output size). */
export function appSpecificId(systemId: string): string {
  return createHmac('sha256', systemId.trim()).update(APP_KEY).digest('hex').slice(0, 32);
}

const HEX32 = /^[0-9a-f]{32}$/;

/** Reads /etc/machine-id (or `systemFile`), else the kept id in `stateDir`, else makes and keeps one (0600). */
export async function localMachineId(stateDir: string, systemFile = '/etc/machine-id'): Promise<string> {
  const system = (await readFile(systemFile, 'utf8').catch(() => '')).trim();
  if (HEX32.test(system)) return appSpecificId(system);
  const kept = join(stateDir, MACHINE_ID_FILE);
  const existing = (await readFile(kept, 'utf8').catch(() => '')).trim();
  if (HEX32.test(existing)) return existing;
  const made = randomBytes(16).toString('hex');
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  try {
    const fh = await open(kept, 'wx', 0o600);
    await fh.writeFile(`${made}\n`);
    await fh.close();
    return made;
  } catch {
    // another tether wrote it first (or the directory is read-only): use theirs if there is one
    const again = (await readFile(kept, 'utf8').catch(() => '')).trim();
    return HEX32.test(again) ? again : made;
  }
}
