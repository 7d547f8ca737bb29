// Thin typed wrappers over ssh2 session channels: exec or shell, with a pty, environment (SendEnv/SetEnv), agent
// forwarding, window changes, signals, and the exit status or signal when the channel closes.
import type { Readable, Writable } from 'node:stream';
import type { ClientChannel, ExecOptions, PseudoTtyOptions, TerminalModes } from 'ssh2';
import type { Disposable } from '../common/disposable.js';
import { TetherError } from '../common/errors.js';
import type { EffectiveConfig } from '../config/types.js';
import { matchPattern } from './known-hosts.js';
import type { Link } from './link.js';

/** The pseudo-terminal requested for a session. */
export interface PtyOptions {
  /** TERM, e.g. `xterm-256color`. */
  readonly term: string;
  readonly rows: number;
  readonly cols: number;
  readonly width?: number;
  readonly height?: number;
  readonly modes?: TerminalModes;
}

/** What a session asks the server for besides its command. */
export interface SessionOptions {
  readonly pty?: PtyOptions;
  /** Variables sent with `env` requests (the server's AcceptEnv decides). */
  readonly env?: Readonly<Record<string, string>>;
  /** Request agent forwarding on this session (needs ForwardAgent and an agent at connect). */
  readonly agentForward?: boolean;
}

/** How the remote command ended. */
export interface SessionExit {
  /** The exit status; undefined when the server sent none (killed by a signal, or the link broke). */
  readonly code?: number;
  /** The signal name without SIG, e.g. `TERM`, when killed by one. */
  readonly signal?: string;
  readonly coreDumped?: boolean;
  readonly message?: string;
}

/** An open session channel. */
export interface RemoteSession extends Disposable {
  readonly channel: ClientChannel;
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves when the channel closes. */
  readonly exit: Promise<SessionExit>;
  /** Sends a window-change (SIGWINCH on the server). */
  resize(rows: number, cols: number, width?: number, height?: number): void;
  /** Sends a signal request (`INT`, `TERM`, ...). */
  signal(name: string): void;
}

/** The environment ssh would send: local variables matching SendEnv patterns, then SetEnv (which wins). */
export function sessionEnv(config: EffectiveConfig, localEnv: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = {};
  const patterns = config.sendEnv.flatMap((p) => p.split(/\s+/)).filter((p) => p !== '');
  for (const [name, value] of Object.entries(localEnv)) {
    if (value === undefined) continue;
    if (patterns.some((p) => !p.startsWith('-') && matchPattern(p, name)) && !patterns.some((p) => p.startsWith('-') && matchPattern(p.slice(1), name))) {
      env[name] = value;
    }
  }
  return { ...env, ...config.setEnv };
}

function wrap(channel: ClientChannel): RemoteSession {
  const exit = new Promise<SessionExit>((resolve) => {
    let info: SessionExit = {};
    channel.on('exit', (code: number | null, signal?: string, coreDumped?: boolean, message?: string) => {
      info =
        code !== null && code !== undefined
          ? { code }
          : {
              ...(signal ? { signal: signal.replace(/^SIG/, '') } : {}),
              ...(coreDumped !== undefined ? { coreDumped } : {}),
              ...(message ? { message } : {}),
            };
    });
    channel.on('close', () => resolve(info));
  });
  return {
    channel,
    stdin: channel,
    stdout: channel,
    stderr: channel.stderr,
    exit,
    resize: (rows, cols, width = 0, height = 0) => channel.setWindow(rows, cols, height, width),
    signal: (name) => channel.signal(name),
    dispose: () => channel.close(),
  };
}

function ptyOf(opts: SessionOptions): PseudoTtyOptions | undefined {
  if (!opts.pty) return undefined;
  const { term, rows, cols, width, height, modes } = opts.pty;
  return { term, rows, cols, width: width ?? 0, height: height ?? 0, ...(modes ? { modes } : {}) };
}

function remoteError(what: string, err: Error): TetherError {
  return new TetherError('remote', `${what}: ${err.message}`, { cause: err, fatal: false });
}

/** Runs a command (with a pty when asked, as `ssh -t host cmd`). */
export function openExec(link: Link, command: string, opts: SessionOptions = {}): Promise<RemoteSession> {
  const pty = ptyOf(opts);
  const options: ExecOptions = {
    ...(pty ? { pty } : {}),
    ...(opts.env ? { env: { ...opts.env } } : {}),
    ...(opts.agentForward && !link.unsafe ? { agentForward: true } : {}),
  };
  return new Promise((resolve, reject) => {
    link.client.exec(command, options, (err, channel) => (err ? reject(remoteError('exec request failed', err)) : resolve(wrap(channel))));
  });
}

/** Opens a login shell, with a pty unless `opts.pty` is absent (ssh -T). */
export function openShell(link: Link, opts: SessionOptions = {}): Promise<RemoteSession> {
  const pty = ptyOf(opts);
  const options = {
    ...(opts.env ? { env: { ...opts.env } } : {}),
    ...(opts.agentForward && !link.unsafe ? { agentForward: true } : {}),
  };
  return new Promise((resolve, reject) => {
    link.client.shell(pty ?? false, options, (err, channel) => (err ? reject(remoteError('shell request failed', err)) : resolve(wrap(channel))));
  });
}

/** Starts a subsystem (`ssh -s host sftp`; scp and sftp use this). */
export function openSubsystem(link: Link, name: string): Promise<RemoteSession> {
  return new Promise((resolve, reject) => {
    link.client.subsys(name, (err, channel) => (err ? reject(remoteError('subsystem request failed', err)) : resolve(wrap(channel))));
  });
}
