// For subcommands that talk to a host (`sessions`, `doctor`): ssh-style argv → effective config → one link.
import { TetherError } from '../common/errors.js';
import type { EffectiveConfig } from '../config/types.js';
import { connect } from '../transport/connect.js';
import type { Link } from '../transport/link.js';
import { parseArgv } from './argv.js';
import type { ConnectArgs } from './argv-types.js';
import { loadEffectiveConfig } from './argv-config.js';
import { loadHopConfig } from './argv-jump.js';
import { localContext } from './local-context.js';
import { ttyPrompter } from './tty-prompter.js';

/** A resolved destination of a subcommand. */
export interface RemoteTarget {
  args: ConnectArgs;
  config: EffectiveConfig;
  resolveHop: (spec: string) => Promise<EffectiveConfig>;
}

/** Splits a subcommand's argv: its own long options (`--kill X`, `--json` ...) out, ssh options + host in. */
export function splitOwnOptions(argv: readonly string[], own: ReadonlyMap<string, boolean>): { ssh: string[]; mine: string[] } {
  const ssh: string[] = [];
  const mine: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const name = a.split('=')[0] ?? a;
    if (own.has(name)) {
      mine.push(a);
      if (own.get(name) === true && !a.includes('=') && i + 1 < argv.length) mine.push(argv[++i] ?? '');
    } else ssh.push(a);
  }
  return { ssh, mine };
}

/** Resolves `[ssh options] host` as a connect would. */
export async function resolveTarget(sshArgv: readonly string[], what: string): Promise<RemoteTarget> {
  const parsed = parseArgv(sshArgv);
  if (parsed.kind !== 'connect') throw new TetherError('usage', `tether ${what}: name a host: tether ${what} [ssh options] host`);
  const local = localContext(process.env);
  const { config } = await loadEffectiveConfig(parsed, local);
  const resolveHop = (spec: string): Promise<EffectiveConfig> =>
    loadHopConfig(spec, local, parsed.flags.configFile ? { configFile: parsed.flags.configFile } : {});
  return { args: parsed, config, resolveHop };
}

/** Connects to a resolved target with the terminal prompter. */
export function connectTarget(t: RemoteTarget, timeoutMs?: number): Promise<Link> {
  const prompter = ttyPrompter({ env: process.env, batchMode: t.config.batchMode, stderr: process.stderr });
  return connect({ config: t.config, prompter, resolveHop: t.resolveHop, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
}
