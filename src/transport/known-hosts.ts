// known_hosts, pure: parse lines, match host names (plain, patterns, hashed |1|), and judge a host key against them.
import { createHmac, randomBytes } from 'node:crypto';
import { matchPattern as globMatch } from '../config/fallback-patterns.js';
import { blobKeyType } from './host-key.js';

/** One usable line of a known_hosts file. */
export interface KnownHostEntry {
  /** The file and 1-based line it came from, for "Offending key in FILE:LINE". */
  readonly file: string;
  readonly line: number;
  /** `@revoked` or `@cert-authority`; undefined for an ordinary key line. */
  readonly marker?: 'revoked' | 'cert-authority';
  /** The host field as written: a comma list of patterns, or one `|1|salt|hash`. */
  readonly hosts: string;
  /** The key type named in the key blob (`ssh-ed25519`, ...). */
  readonly keyType: string;
  /** The key blob. */
  readonly key: Buffer;
}

/** Parses a known_hosts file's text; comments, blank and malformed lines are skipped as ssh skips them. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fields = (lines[i] ?? '').trim().split(/[ \t]+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) continue;
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      if (fields[0] === '@revoked') marker = 'revoked';
      else if (fields[0] === '@cert-authority') marker = 'cert-authority';
      else continue;
      fields.shift();
    }
    const [hosts, , b64] = fields;
    if (hosts === undefined || b64 === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) continue;
    const key = Buffer.from(b64, 'base64');
    const keyType = blobKeyType(key);
    if (keyType === '') continue;
    out.push({ file, line: i + 1, ...(marker ? { marker } : {}), hosts, keyType, key });
  }
  return out;
}

/** ssh's glob: `*` any run, `?` one character; the whole name must match (match.c, shared with ssh_config). */
export function matchPattern(pattern: string, name: string): boolean {
  return globMatch(name, pattern);
}

/** A comma list of patterns against a name: a matching `!pattern` vetoes, otherwise any positive match wins. */
export function matchPatternList(list: string, name: string): boolean {
  const lower = name.toLowerCase();
  let positive = false;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).toLowerCase();
    if (!matchPattern(pattern, lower)) continue;
    if (negated) return false;
    positive = true;
  }
  return positive;
}

/** The `|1|salt|hash` form of a host name (HMAC-SHA1 keyed by the salt), as HashKnownHosts writes it. */
export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')}`;
}

/** Whether an entry's host field names this host (`host` or `[host]:port`, already lower-cased). */
export function entryMatchesHost(entry: KnownHostEntry, name: string): boolean {
  if (entry.hosts.startsWith('|1|')) {
    const [, , salt, hash] = entry.hosts.split('|');
    if (salt === undefined || hash === undefined) return false;
    return hashHostName(name, Buffer.from(salt, 'base64')) === `|1|${salt}|${hash}`;
  }
  return matchPatternList(entry.hosts, name);
}

/** The name known_hosts uses for a destination: HostKeyAlias, else `host` on port 22, else `[host]:port`. */
export function knownHostsName(hostname: string, port: number, alias?: string): string {
  if (alias !== undefined && alias !== '') return alias.toLowerCase();
  const host = hostname.toLowerCase();
  return port === 22 || port === 0 ? host : `[${host}]:${port}`;
}

/** What known_hosts says about a key offered by a host. */
export type HostKeyVerdict =
  | { readonly status: 'ok'; readonly entry: KnownHostEntry }
  | { readonly status: 'new'; readonly otherTypes: readonly KnownHostEntry[] }
  | { readonly status: 'changed'; readonly entry: KnownHostEntry }
  | { readonly status: 'revoked'; readonly entry: KnownHostEntry };

/** Judges a key for a host name the way ssh's check_key_in_hostkeys does (CA lines are not used for matching). */
export function judgeHostKey(entries: readonly KnownHostEntry[], name: string, keyType: string, key: Buffer): HostKeyVerdict {
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && entryMatchesHost(e, name));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === undefined);
  const same = plain.find((e) => e.key.equals(key));
  if (same) return { status: 'ok', entry: same };
  const changed = plain.find((e) => e.keyType === keyType);
  if (changed) return { status: 'changed', entry: changed };
  return { status: 'new', otherTypes: plain };
}

/**
 * The key types known for a host, in file order (to prefer them in HostKeyAlgorithms as ssh does). As OpenSSH's
 * order_hostkeyalgs (lookup_key_in_hostkeys_by_type): a type counts by its first plain line for the host, and not
 * at all when that key is also listed `@revoked` (ssh would get the revoked key, so it prefers another type).
 */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && entryMatchesHost(e, name));
  const revoked = forHost.filter((e) => e.marker === 'revoked');
  const seen = new Set<string>();
  const types: string[] = [];
  for (const e of forHost) {
    if (e.marker !== undefined || seen.has(e.keyType)) continue;
    seen.add(e.keyType);
    if (!revoked.some((r) => r.key.equals(e.key))) types.push(e.keyType);
  }
  return types;
}

/** The line to append for a newly accepted key (one name per hashed line, as ssh writes them). */
export function formatKnownHostsLines(names: readonly string[], keyType: string, key: Buffer, hashed: boolean): string {
  const b64 = key.toString('base64');
  if (!hashed) return `${names.join(',')} ${keyType} ${b64}\n`;
  return names.map((n) => `${hashHostName(n)} ${keyType} ${b64}\n`).join('');
}
