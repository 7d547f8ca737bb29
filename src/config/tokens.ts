// OpenSSH's %-tokens and ~ in paths: what `ssh -G` leaves unexpanded (IdentityFile, CertificateFile, ProxyCommand).
import { createHash } from 'node:crypto';

/** The values OpenSSH substitutes for %-tokens (ssh.c / readconf.c default_client_percent_expand). */
export interface TokenContext {
  /** %n: the host as typed on the command line. */
  originalHost: string;
  /** %h: HostName after substitution. */
  hostname: string;
  /** %p */
  port: number;
  /** %r: the remote user. */
  remoteUser: string;
  /** %u: the local user. */
  localUser: string;
  /** %d: the local home directory (also what `~` means). */
  home: string;
  /** %l: this machine's host name (gethostname). */
  localHostname: string;
  /** %i: the local uid. */
  uid: number;
  /** %k: HostKeyAlias, else the original host. */
  hostKeyAlias?: string;
  /** %j: the ProxyJump string, '' when none. */
  proxyJump?: string;
}

/** %C of OpenSSH 9.2: SHA-1 of %l%h%p%r, hex (used in ControlPath and the like). */
export function connectionHash(t: TokenContext): string {
  return createHash('sha1').update(`${t.localHostname}${t.hostname}${t.port}${t.remoteUser}`).digest('hex');
}

/** Replaces %-tokens; an unknown token is left as typed (OpenSSH refuses the whole line). */
export function expandTokens(s: string, t: TokenContext): string {
  return s.replace(/%(.)/g, (whole, c: string) => {
    switch (c) {
      case '%': return '%';
      case 'h': return t.hostname;
      case 'n': return t.originalHost;
      case 'p': return String(t.port);
      case 'r': return t.remoteUser;
      case 'u': return t.localUser;
      case 'd': return t.home;
      case 'l': return t.localHostname;
      case 'L': return t.localHostname.split('.')[0] ?? t.localHostname;
      case 'i': return String(t.uid);
      case 'k': return t.hostKeyAlias ?? t.originalHost;
      case 'j': return t.proxyJump ?? '';
      case 'C': return connectionHash(t);
      default: return whole;
    }
  });
}

/** `~` and `~/...` to the home directory (`~user` is left as is: tether does not read passwd). */
export function expandTilde(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return `${home.replace(/\/+$/, '')}/${path.slice(2)}`;
  return path;
}

/** A path as OpenSSH opens it: ~ first, then %-tokens. */
export function expandPath(path: string, t: TokenContext): string {
  return expandTokens(expandTilde(path, t.home), t);
}
