// ssh_config's "first obtained value wins", the accumulating keywords, and the defaults ssh fills in at the end.
import { TetherError } from '../common/errors.js';
import { DEFAULT_IDENTITY_FILES, DEFAULT_USER_KNOWN_HOSTS, SSH_G_DEFAULTS } from './fallback-defaults.js';
import { matchPattern } from './fallback-patterns.js';
import { checkedWords } from './fallback-values.js';
import { formatDynamicForward, formatForward, parseDynamicForward, parseForward } from './forwards.js';
import type { LocalContext } from './effective.js';
import { expandPath, expandTokens } from './tokens.js';
import type { TokenContext } from './tokens.js';

/** Keywords whose every occurrence adds a value (the others: the first one wins). */
const ACCUMULATE = new Set(['identityfile', 'certificatefile', 'localforward', 'remoteforward', 'dynamicforward', 'sendenv']);
/** Keywords whose first line wins as a whole but holds several values (printed one per line). */
const FIRST_LINE_LIST = new Set(['setenv']);
/** Accumulating keywords where OpenSSH ignores a repeated value. */
const DEDUPED = new Set(['identityfile', 'certificatefile', 'localforward', 'remoteforward', 'dynamicforward']);
/** Old names OpenSSH still accepts, mapped to what `ssh -G` prints. */
const ALIASES: Readonly<Record<string, string>> = {
  challengeresponseauthentication: 'kbdinteractiveauthentication',
  pubkeyacceptedkeytypes: 'pubkeyacceptedalgorithms',
  hostbasedkeytypes: 'hostbasedacceptedalgorithms',
  hostbasedacceptedkeytypes: 'hostbasedacceptedalgorithms',
};
/** Keywords that take the rest of the line as one value. */
const REST_OF_LINE = new Set(['proxycommand', 'localcommand', 'remotecommand', 'knownhostscommand']);
/** Algorithm lists that accept +append, -remove, ^prepend against the default. */
const ALGORITHM_LISTS = new Set(['ciphers', 'macs', 'kexalgorithms', 'hostkeyalgorithms', 'pubkeyacceptedalgorithms', 'hostbasedacceptedalgorithms', 'casignaturealgorithms']);

/** The option values collected so far, in `ssh -G` form (lower-case keys). */
export class OptionStore {
  /** Values set so far; a key present means "already obtained". */
  readonly values = new Map<string, string[]>();

  /** Applies one keyword the way readconf.c does; `force` = a flag such as -4 that assigns outright. */
  set(keyword: string, given: readonly string[], text: string, force = false): void {
    const key = ALIASES[keyword] ?? keyword;
    const words = checkedWords(key, given);
    if (key === 'proxyjump') {
      // parse_jump(): only while neither is set; a real jump also sets ProxyCommand to "none".
      if (this.values.has('proxycommand') || this.values.has('proxyjump')) return;
      this.values.set('proxyjump', text === 'none' ? [] : [text]);
      if (text !== 'none') this.values.set('proxycommand', []);
      return;
    }
    if (key === 'proxycommand') {
      // `ProxyJump none` does not stop a later ProxyCommand (OpenSSH 9.2).
      if (!this.values.has('proxycommand')) this.values.set('proxycommand', text === 'none' ? [] : [text]);
      return;
    }
    if (ACCUMULATE.has(key)) {
      const list = this.values.get(key) ?? [];
      // add_identity_file()/add_*_forward() skip duplicates (a final pass re-reads the same lines).
      const added = this.accumulated(key, words, text).filter((v) => !(DEDUPED.has(key) && list.includes(v)));
      this.values.set(key, [...list, ...added]);
      return;
    }
    if (!force && this.values.has(key)) return;
    if (FIRST_LINE_LIST.has(key)) {
      this.values.set(key, [...words]);
      return;
    }
    this.values.set(key, [REST_OF_LINE.has(key) ? text : words.join(' ')]);
  }

  /** The `ssh -G` form of an accumulating keyword's value(s). */
  private accumulated(key: string, words: readonly string[], text: string): string[] {
    if (key === 'localforward' || key === 'remoteforward') {
      const spec = words.length === 2 ? `${words[0]}:${words[1]}` : (words[0] ?? '');
      const f = parseForward(spec, key === 'localforward' ? 'local' : 'remote');
      if (f === undefined) throw new TetherError('config', `Bad forwarding specification '${text}'`);
      return [formatForward(f)];
    }
    if (key === 'dynamicforward') {
      const f = parseDynamicForward(words[0] ?? '');
      if (f === undefined) throw new TetherError('config', `Bad dynamic forwarding specification '${text}'`);
      return [formatDynamicForward(f)];
    }
    if (key === 'identityfile' || key === 'certificatefile') return [text];
    return [...words];
  }

  /** The first value of a key, if obtained. */
  get(key: string): string | undefined {
    return this.values.get(key)?.[0];
  }
}

/** `+a,b` / `-a*` / `^a` against the default list, as readconf.c's assemble_algorithms does. */
function algorithms(value: string, dflt: string): string {
  const defaults = dflt.split(',');
  const names = value.slice(1).split(',');
  if (value.startsWith('+')) return [...defaults, ...names.filter((n) => !defaults.includes(n))].join(',');
  if (value.startsWith('^')) return [...names, ...defaults.filter((n) => !names.includes(n))].join(',');
  if (value.startsWith('-')) {
    const pattern = (n: string): boolean => names.some((p) => matchPattern(n, p));
    return defaults.filter((n) => !pattern(n)).join(',');
  }
  return value;
}

/** HostName takes only %h and %% (ssh.c percent_expand(options.hostname, "h", host)). */
export function expandHostName(value: string, hostArg: string): string {
  return value.replace(/%%|%h/g, (t) => (t === '%%' ? '%' : hostArg));
}

/** The hostname ssh connects to: HostName with %h, else the host; lower-cased as ssh.c does. */
export function resolvedHostname(store: OptionStore, hostArg: string): string {
  const h = store.get('hostname');
  return (h === undefined ? hostArg : expandHostName(h, hostArg)).toLowerCase();
}

/** fill_default_options() + the expansions ssh -G prints already applied: the final dump. */
export function finish(store: OptionStore, hostArg: string, local: LocalContext): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of SSH_G_DEFAULTS) out[k] = [v];
  for (const [k, v] of store.values) {
    if (v.length === 0) continue; // `ProxyCommand none` and the like: set, but not printed
    out[k] = ALGORITHM_LISTS.has(k) && out[k]?.[0] !== undefined && /^[-+^]/.test(v[0] ?? '') ? [algorithms(v[0] ?? '', out[k][0])] : [...v];
  }
  const hostname = resolvedHostname(store, hostArg);
  const user = store.get('user') ?? local.localUser;
  const port = Number(store.get('port') ?? '22');
  out.host = [hostArg];
  out.hostname = [hostname];
  out.user = [user];
  out.port = [String(port)];
  const t: TokenContext = { originalHost: hostArg, hostname, port, remoteUser: user, localUser: local.localUser, home: local.home, localHostname: local.localHostname, uid: local.uid, hostKeyAlias: store.get('hostkeyalias'), proxyJump: store.get('proxyjump') ?? '' };
  // fill_default_options(): BatchMode without a ServerAliveInterval pings every 300 s.
  if (['yes', 'true'].includes((store.get('batchmode') ?? '').toLowerCase()) && !store.values.has('serveraliveinterval')) out.serveraliveinterval = ['300'];
  if (!store.values.has('identityfile')) out.identityfile = [...DEFAULT_IDENTITY_FILES];
  const known = store.get('userknownhostsfile');
  if (known !== undefined) out.updatehostkeys = ['false'];
  out.userknownhostsfile = [(known ?? DEFAULT_USER_KNOWN_HOSTS).split(/\s+/).map((p) => expandPath(p, t)).join(' ')];
  for (const key of ['controlpath', 'identityagent'] as const) {
    const v = out[key]?.[0];
    if (v !== undefined && v !== 'none' && v !== 'SSH_AUTH_SOCK' && !v.startsWith('$')) out[key] = [expandPath(v, t)];
  }
  const rc = out.remotecommand?.[0];
  if (rc !== undefined) out.remotecommand = [expandTokens(rc, t)];
  if (out.controlpath?.[0] === 'none') delete out.controlpath;
  if (['yes', 'true'].includes(out.clearallforwardings?.[0] ?? '')) {
    delete out.localforward;
    delete out.remoteforward;
    delete out.dynamicforward;
  }
  return out;
}
