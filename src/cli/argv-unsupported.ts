// When tether must hand the whole argv to the system ssh: one table, one reason per row.
import { existsSync, readFileSync } from 'node:fs';
import type { EffectiveConfig } from '../config/types.js';
import type { ConnectArgs } from './argv-types.js';

/** Features the transport may grow; each one false (the default) sends such command lines to ssh. */
export interface Capabilities {
  /** ProxyCommand: spawn the command and use its stdio as the socket. */
  proxyCommand?: boolean;
  /** -W host:port: stdin/stdout carried over a direct-tcpip channel. */
  stdioForward?: boolean;
  /** -L/-R with unix socket paths (streamlocal@openssh.com). */
  unixSocketForwards?: boolean;
  /** -R [addr:]port alone: a SOCKS server answering the server's forwarded connections. */
  remoteDynamicForward?: boolean;
}

/** The files and environment unsupported() looks at (injected so tests use temp dirs). */
export interface Probe {
  capabilities?: Capabilities;
  /** Default: fs.existsSync. */
  exists?: (path: string) => boolean;
  /** Default: fs.readFileSync(utf8), undefined on error. */
  readText?: (path: string) => string | undefined;
  /** For KRB5CCNAME (is there a Kerberos ticket for GSSAPI to use?). */
  env?: Readonly<Record<string, string | undefined>>;
  /** For the default ticket cache /tmp/krb5cc_<uid>. */
  uid?: number;
}

/** What a row of the table sees. */
interface Facts {
  args: ConnectArgs;
  config: EffectiveConfig;
  caps: Capabilities;
  exists: (path: string) => boolean;
  readText: (path: string) => string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  uid: number | undefined;
}

const on = (v: string | undefined): boolean => v !== undefined && !['no', 'false', 'none', 'off'].includes(v.toLowerCase());
const raw = (f: Facts, key: string): string | undefined => f.config.raw[key]?.[0];

/** A private key that is a FIDO (`sk-`) key: its .pub says so, or (no .pub) its name is id_*_sk. */
function isSkKey(f: Facts, path: string): boolean {
  if (!f.exists(path)) return false;
  const pub = f.readText(`${path}.pub`);
  if (pub !== undefined) return /^sk-/.test(pub.trim());
  return /_sk$/.test(path); // OpenSSH's default names for FIDO keys (the private key file itself is opaque)
}

/** GSSAPI is only tried when some Kerberos ticket cache exists. */
function hasKerberosTicket(f: Facts): boolean {
  const cc = f.env.KRB5CCNAME;
  if (cc !== undefined && cc !== '') return !cc.startsWith('FILE:') || f.exists(cc.slice(5));
  return f.uid !== undefined && f.exists(`/tmp/krb5cc_${f.uid}`);
}

/** The table: a test and the one-line reason. First matching row wins. */
const TABLE: readonly { when: (f: Facts) => boolean; reason: string }[] = [
  { when: (f) => f.args.flags.configTest, reason: '-G (print the configuration) is OpenSSH\'s own' },
  { when: (f) => f.args.flags.controlCommand !== undefined, reason: '-O controls a multiplexing master' },
  { when: (f) => f.args.flags.master > 0 || on(f.config.controlMaster), reason: 'ControlMaster (-M, connection sharing) is not implemented' },
  {
    when: (f) => f.args.flags.controlPath !== undefined || (f.config.controlPath !== undefined && f.exists(f.config.controlPath)),
    reason: 'ControlPath (-S) would reuse a multiplexed master connection',
  },
  { when: (f) => f.args.flags.background || f.config.forkAfterAuthentication, reason: '-f (fork after authentication) is not implemented' },
  { when: (f) => f.args.flags.forwardX11 === true || f.config.forwardX11, reason: 'X11 forwarding (-X/-Y, ForwardX11) is not implemented' },
  { when: (f) => f.args.flags.tunnel !== undefined || on(raw(f, 'tunnel')), reason: 'tun/tap tunnelling (-w, Tunnel) is not implemented' },
  { when: (f) => f.args.flags.stdioForward !== undefined && f.caps.stdioForward !== true, reason: '-W (stdio forwarding) is not implemented' },
  { when: (f) => f.args.flags.gssapi, reason: '-K (GSSAPI authentication and delegation) is not implemented' },
  {
    when: (f) =>
      (f.config.gssapiAuthentication || on(raw(f, 'gssapikeyexchange'))) &&
      f.config.preferredAuthentications.some((m) => m.startsWith('gssapi')) &&
      hasKerberosTicket(f),
    reason: 'GSSAPI authentication (a Kerberos ticket is present) is not implemented',
  },
  { when: (f) => f.args.flags.pkcs11 !== undefined || on(raw(f, 'pkcs11provider')), reason: 'PKCS#11 keys (-I, PKCS11Provider) are not supported' },
  { when: (f) => f.config.identityFiles.some((p) => isSkKey(f, p)), reason: 'FIDO security keys (sk- keys in IdentityFile) are not supported' },
  {
    when: (f) => f.config.certificateFiles.some((p) => f.exists(p)) || f.config.identityFiles.some((p) => f.exists(p) && f.exists(`${p}-cert.pub`)),
    reason: 'certificate authentication (CertificateFile, *-cert.pub) is not supported',
  },
  { when: (f) => on(raw(f, 'hostbasedauthentication')), reason: 'HostbasedAuthentication is not supported' },
  { when: (f) => on(raw(f, 'knownhostscommand')), reason: 'KnownHostsCommand is not supported' },
  { when: (f) => on(raw(f, 'permitlocalcommand')) && raw(f, 'localcommand') !== undefined, reason: 'LocalCommand (PermitLocalCommand yes) is not supported' },
  { when: (f) => f.config.proxyCommand !== undefined && f.caps.proxyCommand !== true, reason: 'ProxyCommand is not implemented' },
  { when: (f) => on(raw(f, 'proxyusefdpass')) && f.config.proxyCommand !== undefined, reason: 'ProxyUseFdpass is not supported' },
  { when: (f) => f.args.flags.bindInterface !== undefined || raw(f, 'bindinterface') !== undefined, reason: 'BindInterface (-B) is not supported' },
  {
    when: (f) =>
      f.caps.unixSocketForwards !== true &&
      [...f.config.localForwards, ...f.config.remoteForwards].some((x) => x.bindSocket !== undefined || x.hostSocket !== undefined),
    reason: 'forwarding of unix sockets is not implemented',
  },
  { when: (f) => f.caps.remoteDynamicForward !== true && f.config.remoteForwards.some((x) => x.remoteSocks === true), reason: '-R with a SOCKS proxy on the server (no destination) is not implemented' },
];

/** The reasons table, for `tether doctor` / docs: every row's reason in order. */
export const UNSUPPORTED_REASONS: readonly string[] = TABLE.map((r) => r.reason);

/**
 * Why tether must run the system ssh with the same argv for this command line, or undefined
 * when tether can honour everything. (-V and -Q never get here: parseArgv returns 'system-ssh'.)
 * -k (no GSSAPI delegation) and -e are honoured: tether never delegates, and reads EscapeChar.
 */
export function unsupported(parsed: ConnectArgs, config: EffectiveConfig, probe: Probe = {}): string | undefined {
  const facts: Facts = {
    args: parsed,
    config,
    caps: probe.capabilities ?? {},
    exists: probe.exists ?? existsSync,
    readText:
      probe.readText ??
      ((p) => {
        try {
          return readFileSync(p, 'utf8');
        } catch {
          return undefined;
        }
      }),
    env: probe.env ?? {},
    uid: probe.uid,
  };
  return TABLE.find((row) => row.when(facts))?.reason;
}
