// Glue for cli/main.ts: parsed argv + local facts → the effective configuration (ssh -G, or the fallback).
import type { LocalContext } from '../config/effective.js';
import { resolveEffectiveConfig } from '../config/ssh-g.js';
import type { ResolvedConfig } from '../config/ssh-g.js';
import { commandLineSettings } from './argv-settings.js';
import type { ConnectArgs } from './argv-types.js';

/** Optional knobs, mostly for tests: which ssh binary, the system config of the fallback, warnings. */
export interface LoadConfigOptions {
  ssh?: string;
  systemConfigFile?: string;
  timeoutMs?: number;
  warn?: (message: string) => void;
}

/**
 * The effective configuration of a parsed `connect` command line. Throws TetherError('config')
 * naming the file and line ssh printed, or TetherError('usage') when ssh rejected the options.
 */
export function loadEffectiveConfig(args: ConnectArgs, local: LocalContext, opts: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  return resolveEffectiveConfig({
    argv: args.configArgv,
    fallback: {
      host: args.target.host,
      settings: commandLineSettings(args),
      configFile: args.flags.configFile,
      systemConfigFile: opts.systemConfigFile,
    },
    local,
    ssh: opts.ssh,
    timeoutMs: opts.timeoutMs,
    warn: opts.warn,
  });
}
