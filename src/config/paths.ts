// Where tether keeps its files: XDG directories, resolved from an environment the cli passes in.
import { join } from 'node:path';

/** Largest settings or learned-state file tether reads (they hold a few hundred bytes; a bigger one is not its own). */
export const MAX_STORE_BYTES = 1048576;

/** The directories tether writes to. */
export interface TetherPaths {
  /** Settings (`tether config`): $XDG_CONFIG_HOME/tether. */
  configDir: string;
  /** History log and learned per-host state: $XDG_STATE_HOME/tether. */
  stateDir: string;
}

/** Resolves the XDG paths; relative XDG values are ignored as the spec requires. */
export function tetherPaths(env: Readonly<Record<string, string | undefined>>, home: string): TetherPaths {
  const abs = (v: string | undefined): string | undefined => (v && v.startsWith('/') ? v : undefined);
  return {
    configDir: join(abs(env.XDG_CONFIG_HOME) ?? join(home, '.config'), 'tether'),
    stateDir: join(abs(env.XDG_STATE_HOME) ?? join(home, '.local', 'state'), 'tether'),
  };
}
