// ProxyJump hops as OpenSSH runs them: the last hop is `ssh [-l u] [-p n] [-J earlier,hops] [-F file] host`.
import { TetherError } from '../common/errors.js';
import { parseDestination, parsePort } from './argv-destination.js';
import type { Destination } from './argv-destination.js';
import type { LocalContext } from '../config/effective.js';
import type { EffectiveConfig } from '../config/types.js';
import { parseArgv } from './argv.js';
import { loadEffectiveConfig } from './argv-config.js';
import type { LoadConfigOptions } from './argv-config.js';

/** misc.c parse_user_host_port() (or an ssh:// URI): `[user@]host[:port]`, `[user@][v6addr]:port`. */
export function parseJumpHop(spec: string): Destination | undefined {
  if (spec.startsWith('ssh://')) return parseDestination(spec);
  let rest = spec;
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    if (at === 0) return undefined;
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  let host: string;
  let portText = '';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return undefined;
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return undefined;
    portText = after.slice(1);
  } else {
    const colon = rest.indexOf(':');
    host = colon < 0 ? rest : rest.slice(0, colon);
    portText = colon < 0 ? '' : rest.slice(colon + 1);
  }
  if (host === '') return undefined;
  const port = portText === '' ? undefined : parsePort(portText);
  if (portText !== '' && port === undefined) return undefined;
  return { raw: spec, host, ...(user === undefined ? {} : { user }), ...(port === undefined ? {} : { port }) };
}

/**
 * The argv tether parses (parseArgv) to get the configuration of the hop right before the
 * destination, exactly as ssh.c builds its ProxyJump command: the hop's own -l/-p, the earlier
 * hops as -J (so that hop's config carries the rest of the chain), and the user's -F only.
 * `hops` is EffectiveConfig.proxyJump (outermost first); undefined when there are none.
 */
export function lastHopArgv(hops: readonly string[], configFile?: string): string[] | undefined {
  const last = hops[hops.length - 1];
  if (last === undefined) return undefined;
  const hop = parseJumpHop(last);
  if (hop === undefined) throw new TetherError('config', `Invalid ProxyJump host '${last}'`);
  const argv: string[] = [];
  if (hop.user !== undefined) argv.push('-l', hop.user);
  if (hop.port !== undefined) argv.push('-p', String(hop.port));
  if (hops.length > 1) argv.push('-J', hops.slice(0, -1).join(','));
  if (configFile !== undefined) argv.push('-F', configFile);
  argv.push(hop.host);
  return argv;
}

/**
 * The effective configuration of one ProxyJump hop (`[user@]host[:port]` or ssh:// form), resolved
 * as ssh.c resolves it: `ssh [-l user] [-p port] [-F file] host` (only -F is inherited, not -o).
 */
export async function loadHopConfig(spec: string, local: LocalContext, opts: LoadConfigOptions & { configFile?: string } = {}): Promise<EffectiveConfig> {
  const argv = lastHopArgv([spec], opts.configFile) ?? [];
  const parsed = parseArgv(argv);
  if (parsed.kind !== 'connect') throw new TetherError('config', `Invalid ProxyJump host '${spec}'`);
  return (await loadEffectiveConfig(parsed, local, opts)).config;
}
