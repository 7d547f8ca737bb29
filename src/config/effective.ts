// `ssh -G`'s key/value dump → EffectiveConfig (the same path for the real ssh and for the fallback resolver).
import { TetherError } from '../common/errors.js';
import { parseDumpedDynamicForward, parseDumpedForward } from './forwards.js';
import { expandPath, expandTokens } from './tokens.js';
import type { TokenContext } from './tokens.js';
import type { DynamicForwardSpec, EffectiveConfig, ForwardSpec, RequestTTY, StrictHostKeyChecking } from './types.js';

/** The local facts expansion needs; cli passes them (nothing here reads process.env). */
export interface LocalContext {
  /** The local home directory: OpenSSH's pw_dir, what `~` and %d mean. */
  home: string;
  /** %u */
  localUser: string;
  /** %l */
  localHostname: string;
  /** %i */
  uid: number;
  /** For SSH_AUTH_SOCK and `$VAR` in IdentityAgent. */
  env: Readonly<Record<string, string | undefined>>;
}

/** Parses `ssh -G` output: lower-case key, then the value (the rest of the line); repeated keys accumulate. */
export function parseDump(text: string): Record<string, string[]> {
  const raw: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const m = /^(\S+) ?(.*)$/.exec(line.replace(/\r$/, ''));
    if (m === null) continue;
    const key = (m[1] ?? '').toLowerCase();
    (raw[key] ??= []).push(m[2] ?? '');
  }
  return raw;
}

/** OpenSSH's yes/no in all the spellings `ssh -G` prints (yes, true, no, false). */
function flag(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  return !['no', 'false', 'off', '0'].includes(v.toLowerCase());
}

function int(v: string | undefined, dflt: number): number {
  const n = v === undefined ? NaN : Number(v);
  return Number.isInteger(n) ? n : dflt;
}

function list(v: string | undefined, sep: RegExp): string[] {
  return v === undefined || v === '' || v === 'none' ? [] : v.split(sep).filter((s) => s !== '');
}

/** `escapechar` as ssh -G prints it with vis(3) (`~`, `none`, `\^A`, `\\`) or as typed in ssh_config (`^A`). */
export function parseEscapeChar(v: string | undefined): string | 'none' {
  if (v === undefined) return '~';
  if (v === 'none') return 'none';
  const ctl = /^\\?\^(.)$/.exec(v); // `\^A` as ssh -G prints it, `^A` as ssh_config spells it
  if (ctl !== null) return String.fromCharCode((ctl[1] ?? '@').charCodeAt(0) & 31);
  if (v === '\\\\') return '\\';
  const oct = /^\\([0-7]{3})$/.exec(v);
  if (oct !== null) return String.fromCharCode(parseInt(oct[1] ?? '0', 8));
  return v;
}

function strictHostKeyChecking(v: string | undefined): StrictHostKeyChecking {
  switch (v?.toLowerCase()) {
    case 'yes': case 'true': return 'yes';
    case 'no': case 'false': case 'off': return 'no';
    case 'accept-new': return 'accept-new';
    default: return 'ask';
  }
}

function requestTty(v: string | undefined): RequestTTY {
  switch (v?.toLowerCase()) {
    case 'yes': case 'true': return 'yes';
    case 'no': case 'false': return 'no';
    case 'force': return 'force';
    default: return 'auto';
  }
}

/** IdentityAgent: `SSH_AUTH_SOCK` (the default) and `$VAR` read env; `none` means no agent. */
function identityAgent(v: string | undefined, t: TokenContext, env: LocalContext['env']): string | undefined {
  if (v === undefined || v === 'SSH_AUTH_SOCK') return env.SSH_AUTH_SOCK || undefined;
  if (v === 'none') return undefined;
  const envRef = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(v);
  if (envRef !== null) return env[envRef[1] ?? ''] || undefined;
  return expandPath(v, t);
}

/** ssh -G prints QUIET as SILENT and DEBUG1 as DEBUG: use ssh_config's names (QUIET ... DEBUG3). */
function logLevel(v: string | undefined): string {
  const upper = (v ?? 'INFO').toUpperCase();
  return upper === 'SILENT' ? 'QUIET' : upper === 'DEBUG' ? 'DEBUG1' : upper;
}

/** ControlMaster as ssh -G prints it: true, false, auto, ask, autoask. */
function controlMaster(v: string | undefined): string {
  const lower = (v ?? 'false').toLowerCase();
  return lower === 'yes' ? 'true' : lower === 'no' ? 'false' : lower;
}

function setEnv(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) continue;
    const name = v.slice(0, eq);
    if (!(name in out)) out[name] = v.slice(eq + 1);
  }
  return out;
}

/** Builds the EffectiveConfig from a dump, expanding what `ssh -G` leaves unexpanded. */
export function toEffectiveConfig(raw: Record<string, string[]>, local: LocalContext): EffectiveConfig {
  const one = (k: string): string | undefined => raw[k]?.[0];
  const all = (k: string): string[] => raw[k] ?? [];
  const host = one('host');
  const hostname = one('hostname');
  if (host === undefined || hostname === undefined) {
    throw new TetherError('config', 'ssh -G printed no host/hostname: not an OpenSSH configuration dump');
  }
  const port = int(one('port'), 22);
  const user = one('user') ?? local.localUser;
  const proxyJump = list(one('proxyjump'), /,/);
  const t: TokenContext = {
    originalHost: host,
    hostname,
    port,
    remoteUser: user,
    localUser: local.localUser,
    home: local.home,
    localHostname: local.localHostname,
    uid: local.uid,
    hostKeyAlias: one('hostkeyalias'),
    proxyJump: proxyJump.join(','),
  };
  const proxyCommand = one('proxycommand');
  const connectTimeout = one('connecttimeout');
  const family = one('addressfamily');
  const sessionType = one('sessiontype');
  const controlPath = one('controlpath');
  const localForwards: ForwardSpec[] = [];
  for (const v of all('localforward')) {
    const f = parseDumpedForward(v, 'local');
    if (f !== undefined) localForwards.push(f);
  }
  const remoteForwards: ForwardSpec[] = [];
  for (const v of all('remoteforward')) {
    const f = parseDumpedForward(v, 'remote');
    if (f !== undefined) remoteForwards.push(f);
  }
  const dynamicForwards: DynamicForwardSpec[] = [];
  for (const v of all('dynamicforward')) {
    const f = parseDumpedDynamicForward(v);
    if (f !== undefined) dynamicForwards.push(f);
  }
  return {
    host,
    hostname,
    port,
    user,
    addressFamily: family === 'inet' || family === 'inet6' ? family : 'any',
    bindAddress: one('bindaddress'),
    connectTimeoutMs: connectTimeout === undefined || connectTimeout === 'none' ? undefined : int(connectTimeout, 0) * 1000,
    connectionAttempts: int(one('connectionattempts'), 1),
    batchMode: flag(one('batchmode'), false),
    identityFiles: all('identityfile').map((p) => expandPath(p, t)),
    identitiesOnly: flag(one('identitiesonly'), false),
    identityAgent: identityAgent(one('identityagent'), t, local.env),
    pubkeyAuthentication: flag(one('pubkeyauthentication'), true),
    passwordAuthentication: flag(one('passwordauthentication'), true),
    kbdInteractiveAuthentication: flag(one('kbdinteractiveauthentication'), true),
    preferredAuthentications: list(
      one('preferredauthentications') ?? 'gssapi-with-mic,hostbased,publickey,keyboard-interactive,password',
      /,/,
    ),
    numberOfPasswordPrompts: int(one('numberofpasswordprompts'), 3),
    strictHostKeyChecking: strictHostKeyChecking(one('stricthostkeychecking')),
    userKnownHostsFiles: list(one('userknownhostsfile'), / +/).map((p) => expandPath(p, t)),
    globalKnownHostsFiles: list(one('globalknownhostsfile'), / +/),
    hashKnownHosts: flag(one('hashknownhosts'), false),
    hostKeyAlias: one('hostkeyalias'),
    checkHostIp: flag(one('checkhostip'), false),
    kexAlgorithms: list(one('kexalgorithms'), /,/),
    hostKeyAlgorithms: list(one('hostkeyalgorithms'), /,/),
    ciphers: list(one('ciphers'), /,/),
    macs: list(one('macs'), /,/),
    compression: flag(one('compression'), false),
    proxyJump,
    proxyCommand: proxyCommand === undefined || proxyCommand === 'none' ? undefined : expandTokens(proxyCommand, t),
    localForwards,
    remoteForwards,
    dynamicForwards,
    exitOnForwardFailure: flag(one('exitonforwardfailure'), false),
    gatewayPorts: flag(one('gatewayports'), false),
    forwardAgent: flag(one('forwardagent'), false),
    forwardX11: flag(one('forwardx11'), false),
    requestTTY: requestTty(one('requesttty')),
    remoteCommand: one('remotecommand'),
    sessionType: sessionType === 'none' || sessionType === 'subsystem' ? sessionType : 'default',
    stdinNull: flag(one('stdinnull'), false),
    forkAfterAuthentication: flag(one('forkafterauthentication'), false),
    serverAliveInterval: int(one('serveraliveinterval'), 0),
    serverAliveCountMax: int(one('serveralivecountmax'), 3),
    tcpKeepAlive: flag(one('tcpkeepalive'), true),
    escapeChar: parseEscapeChar(one('escapechar')),
    logLevel: logLevel(one('loglevel')),
    sendEnv: all('sendenv'),
    setEnv: setEnv(all('setenv')),
    controlMaster: controlMaster(one('controlmaster')),
    controlPath: controlPath === undefined || controlPath === 'none' ? undefined : controlPath,
    gssapiAuthentication: flag(one('gssapiauthentication'), false),
    certificateFiles: all('certificatefile').map((p) => expandPath(p, t)),
    raw,
  };
}
