// Glue for cli/connect.ts: parsed argv + local facts → the effective configuration (ssh -G, or the fallback).
import { TetherError } from '../common/errors.js';
import type { LocalContext } from '../config/effective.js';
import type { EffectiveConfig } from '../config/types.js';
import { resolveEffectiveConfig } from '../config/ssh-g.js';
import type { ResolvedConfig } from '../config/ssh-g.js';
import { commandLineSettings } from './argv-settings.js';
import type { ConnectArgs } from './argv-types.js';
import { SSH_USAGE } from './argv-usage.js';

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
export async function loadEffectiveConfig(args: ConnectArgs, local: LocalContext, opts: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const resolved = await resolveEffectiveConfig({
    argv: args.sshArgv,
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
  checkCommand(args, resolved.config);
  return resolved;
}

/**
 * ssh.c's checks of the command against the configuration, with ssh's words: `ssh -G` makes
 * them itself, the fallback resolver does not.
 */
export function checkCommand(args: ConnectArgs, config: EffectiveConfig): void {
  const hasCommand = args.command.length > 0;
  if (hasCommand && config.remoteCommand !== undefined) {
    throw new TetherError('usage', 'Cannot execute command-line and remote command.');
  }
  if (!hasCommand && config.sessionType === 'subsystem') {
    throw new TetherError('usage', `You must specify a subsystem to invoke.\n${SSH_USAGE}`);
  }
  if (!hasCommand && config.forkAfterAuthentication && config.sessionType !== 'none' && config.remoteCommand === undefined) {
    throw new TetherError('usage', 'Cannot fork into background without a command to execute.');
  }
}
