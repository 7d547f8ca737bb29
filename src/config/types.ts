// The effective configuration of one destination, as OpenSSH would use it (from `ssh -G`).

/** A `-L`/`-R` forward: listen on one side, connect on the other (a unix socket path where port is undefined). */
export interface ForwardSpec {
  /** Bind address; undefined means loopback (GatewayPorts no) as OpenSSH does. */
  bindAddress?: string;
  /** Listening port (0 = any for -R); undefined with a socket path. */
  bindPort?: number;
  bindSocket?: string;
  /** Where connections go. */
  hostAddress?: string;
  hostPort?: number;
  hostSocket?: string;
  /** `-R [addr:]port` alone: a SOCKS proxy on the server side (OpenSSH's remote dynamic forward); no host/socket then. */
  remoteSocks?: boolean;
}

/** A `-D` SOCKS forward. */
export interface DynamicForwardSpec {
  bindAddress?: string;
  bindPort: number;
}

export type StrictHostKeyChecking = 'yes' | 'ask' | 'accept-new' | 'no';
export type RequestTTY = 'auto' | 'yes' | 'force' | 'no';

/**
 * Everything tether reads from the effective ssh configuration. Keys are OpenSSH's option
 * names in camelCase; tokens (%h %p %r %u %d ~) are already expanded in paths.
 */
export interface EffectiveConfig {
  /** The destination as the user typed it (alias), for history and session names. */
  host: string;
  hostname: string;
  port: number;
  user: string;
  addressFamily: 'any' | 'inet' | 'inet6';
  bindAddress?: string;
  connectTimeoutMs?: number;
  connectionAttempts: number;
  batchMode: boolean;
  identityFiles: string[];
  identitiesOnly: boolean;
  /** SSH_AUTH_SOCK unless IdentityAgent says otherwise; undefined = no agent. */
  identityAgent?: string;
  pubkeyAuthentication: boolean;
  passwordAuthentication: boolean;
  kbdInteractiveAuthentication: boolean;
  preferredAuthentications: string[];
  numberOfPasswordPrompts: number;
  strictHostKeyChecking: StrictHostKeyChecking;
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  hashKnownHosts: boolean;
  hostKeyAlias?: string;
  checkHostIp: boolean;
  /** Algorithm lists as OpenSSH resolved them (may contain names ssh2 lacks). */
  kexAlgorithms: string[];
  hostKeyAlgorithms: string[];
  ciphers: string[];
  macs: string[];
  compression: boolean;
  /** `-J` / ProxyJump hops, outermost first, as `[user@]host[:port]` strings; empty = direct. */
  proxyJump: string[];
  proxyCommand?: string;
  localForwards: ForwardSpec[];
  remoteForwards: ForwardSpec[];
  dynamicForwards: DynamicForwardSpec[];
  exitOnForwardFailure: boolean;
  gatewayPorts: boolean;
  forwardAgent: boolean;
  forwardX11: boolean;
  requestTTY: RequestTTY;
  remoteCommand?: string;
  sessionType: 'default' | 'none' | 'subsystem';
  stdinNull: boolean;
  forkAfterAuthentication: boolean;
  /** 0 = off; in seconds as in ssh_config. */
  serverAliveInterval: number;
  serverAliveCountMax: number;
  tcpKeepAlive: boolean;
  escapeChar: string | 'none';
  /** QUIET FATAL ERROR INFO VERBOSE DEBUG1 DEBUG2 DEBUG3 (ssh -G's SILENT/DEBUG spellings normalised; raw keeps them). */
  logLevel: string;
  sendEnv: string[];
  setEnv: Record<string, string>;
  controlMaster: string;
  controlPath?: string;
  gssapiAuthentication: boolean;
  certificateFiles: string[];
  /** Every key/value pair `ssh -G` printed, lower-case keys, values in order. */
  raw: Record<string, string[]>;
}
