// The algorithm lists offered to the server: the config's lists (as OpenSSH resolved them) cut to what ssh2 implements,
// with host-key types already known for the host moved first as ssh does.
import { createRequire } from 'node:module';
import type { Algorithms } from 'ssh2';
import { TetherError } from '../common/errors.js';
import type { EffectiveConfig } from '../config/types.js';
import { algorithmsForKeyType } from './host-key.js';

/** ssh2's own lists of what it can do (read once from its constants module). */
interface Supported {
  readonly kex: readonly string[];
  readonly serverHostKey: readonly string[];
  readonly cipher: readonly string[];
  readonly hmac: readonly string[];
}

/** Loaded lazily; ssh2 computes these at load time from the crypto it finds. */
let supported: Supported | undefined;

function stringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new TetherError('internal', `ssh2 constants: ${name} is not a list of names`);
  }
  return value;
}

/** What ssh2 implements, per algorithm class. */
export function ssh2Supported(): Supported {
  if (supported) return supported;
  const constants: unknown = createRequire(import.meta.url)('ssh2/lib/protocol/constants.js');
  const c = (typeof constants === 'object' && constants !== null ? constants : {}) as Record<string, unknown>;
  supported = {
    kex: stringList(c.SUPPORTED_KEX, 'SUPPORTED_KEX'),
    serverHostKey: stringList(c.SUPPORTED_SERVER_HOST_KEY, 'SUPPORTED_SERVER_HOST_KEY'),
    cipher: stringList(c.SUPPORTED_CIPHER, 'SUPPORTED_CIPHER'),
    hmac: stringList(c.SUPPORTED_MAC, 'SUPPORTED_MAC'),
  };
  return supported;
}

/** Keeps the configured order, dropping names ssh2 lacks; nothing left is 'unsupported' (the cli falls back to ssh). */
function cut(configured: readonly string[], can: readonly string[], what: string): string[] {
  const kept = configured.filter((name) => can.includes(name));
  if (configured.length > 0 && kept.length === 0) {
    throw new TetherError('unsupported', `none of the configured ${what} (${configured.join(',')}) is implemented by tether`);
  }
  return kept;
}

/** Moves host-key algorithms for already known key types to the front (stable), like ssh's order_hostkeyalgs. */
export function preferKnownTypes(list: readonly string[], knownTypes: readonly string[]): string[] {
  const wanted = knownTypes.flatMap(algorithmsForKeyType);
  const first = list.filter((a) => wanted.includes(a));
  return [...first, ...list.filter((a) => !wanted.includes(a))];
}

/** The `algorithms` option for ssh2's Client. */
export function algorithmsFor(config: EffectiveConfig, knownTypes: readonly string[]): Algorithms {
  const can = ssh2Supported();
  const out: Algorithms = {
    compress: config.compression ? ['zlib@openssh.com', 'zlib', 'none'] : ['none'],
  };
  if (config.kexAlgorithms.length > 0) out.kex = cut(config.kexAlgorithms, can.kex, 'KexAlgorithms') as Algorithms['kex'];
  if (config.ciphers.length > 0) out.cipher = cut(config.ciphers, can.cipher, 'Ciphers') as Algorithms['cipher'];
  if (config.macs.length > 0) out.hmac = cut(config.macs, can.hmac, 'MACs') as Algorithms['hmac'];
  const hostKeys = config.hostKeyAlgorithms.length > 0 ? config.hostKeyAlgorithms : can.serverHostKey;
  out.serverHostKey = preferKnownTypes(cut(hostKeys, can.serverHostKey, 'HostKeyAlgorithms'), knownTypes) as Algorithms['serverHostKey'];
  return out;
}
