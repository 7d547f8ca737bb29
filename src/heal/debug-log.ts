// An opt-in trace of the healing session (TETHER_DEBUG_LOG=/path): for tests and bug reports, never the terminal.
import { appendFileSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../common/private-fs.js';

/** Writes one timestamped line to the trace file when one is configured; otherwise does nothing. */
export function debugLogger(path: string | undefined): (line: string) => void {
  if (!path) return () => undefined;
  return (line) => {
    try {
      appendFileSync(path, `${new Date().toISOString()} ${line}\n`, { mode: PRIVATE_FILE_MODE });
    } catch {
      // tracing must never disturb the session
    }
  };
}
