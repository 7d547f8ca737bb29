// tether's version, read once from package.json (what `tether --version` prints).
import { readFileSync } from 'node:fs';

/** The package version, or 'unknown' when package.json cannot be read. */
export const VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
})();
