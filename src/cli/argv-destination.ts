// The destination argument as OpenSSH 9.2 reads it: `host`, `user@host`, `ssh://[user[;params]@]host[:port][/]`.

/** user/host/port named by the destination itself (options such as -l/-p may still override). */
export interface Destination {
  /** The argument as typed. */
  raw: string;
  user?: string;
  /** The alias as typed (what Host patterns match and `ssh -G` prints as `host`). */
  host: string;
  port?: number;
}

/** OpenSSH's a2port: 1..65535 in decimal, anything else is invalid (undefined). */
export function parsePort(s: string): number | undefined {
  if (!/^[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** misc.c valid_domain(): what a host inside an ssh:// URI may look like. */
function validDomain(name: string): boolean {
  if (!/^[A-Za-z0-9]/.test(name)) return false;
  if (name.includes('..')) return false;
  return /^[A-Za-z0-9._-]+$/.test(name);
}

/** urldecode() of misc.c: %XX escapes; a decoded NUL or a bad escape fails. */
function urlDecode(s: string): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === '+') out += ' ';
    else if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex) || hex === '00') return undefined;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else out += c;
  }
  return out;
}

/** parse_ssh_uri(): 1 = not a URI, undefined = a bad URI (ssh prints usage). */
function parseSshUri(raw: string): Destination | undefined | 1 {
  if (!raw.startsWith('ssh://')) return 1;
  let rest = raw.slice(6);
  let user: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    let info = rest.slice(0, at);
    const semi = info.indexOf(';');
    if (semi >= 0) info = info.slice(0, semi);
    if (info === '') return undefined;
    user = urlDecode(info);
    if (user === undefined) return undefined;
    rest = rest.slice(at + 1);
  }
  // hpdelim2(): a [bracketed] host or up to the first ':' or '/'.
  let host: string;
  let delim = '';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return undefined;
    host = rest.slice(1, close);
    delim = rest.charAt(close + 1);
    if (delim !== '' && delim !== ':' && delim !== '/') return undefined;
    rest = rest.slice(close + 2);
  } else {
    const m = /[:/]/.exec(rest);
    host = m === null ? rest : rest.slice(0, m.index);
    delim = m === null ? '' : (m[0] ?? '');
    rest = m === null ? '' : rest.slice(m.index + 1);
  }
  if (host === '' || !validDomain(host)) return undefined;
  let port: number | undefined;
  if (rest !== '' && delim === ':') {
    const slash = rest.indexOf('/');
    const p = parsePort(slash < 0 ? rest : rest.slice(0, slash));
    if (p === undefined) return undefined;
    port = p;
    rest = slash < 0 ? '' : rest.slice(slash + 1);
  }
  if (rest !== '') return undefined; // a path is not allowed
  return { raw, host, ...(user === undefined ? {} : { user }), ...(port === undefined ? {} : { port }) };
}

/** Splits a destination as ssh.c does; undefined where ssh would print its usage. */
export function parseDestination(raw: string): Destination | undefined {
  const uri = parseSshUri(raw);
  if (uri !== 1) return uri;
  const at = raw.lastIndexOf('@');
  if (at < 0) return { raw, host: raw };
  if (at === 0) return undefined;
  return { raw, user: raw.slice(0, at), host: raw.slice(at + 1) };
}
