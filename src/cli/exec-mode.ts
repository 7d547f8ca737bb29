// Non-interactive use (`tether host cmd`, pipes, rsync, git): bytes and exit status exactly as OpenSSH.
import type { ClientChannel } from 'ssh2';
import { TetherError } from '../common/errors.js';
import type { Link } from '../transport/link.js';
import { openExec, openShell } from '../transport/session.js';
import type { PtyOptions, RemoteSession, SessionExit } from '../transport/session.js';

/** What to run and where its bytes go. */
export interface ExecRequest {
  /** The remote command; undefined runs the login shell (ssh host < script). */
  command: string | undefined;
  /** `-s`: the command names a subsystem (sftp). */
  subsystem: boolean;
  /** A pty for `-t`/`-tt`; undefined for none. */
  pty: PtyOptions | undefined;
  env: Record<string, string>;
  agentForward: boolean;
  /** `-n` / StdinNull: never read stdin. */
  stdinNull: boolean;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Opens the session channel: a subsystem, exec for a command, a shell otherwise. */
async function openChannel(link: Link, req: ExecRequest): Promise<RemoteSession | ClientChannel> {
  const opts = { ...(req.pty ? { pty: req.pty } : {}), env: req.env, agentForward: req.agentForward };
  if (req.subsystem && req.command !== undefined) {
    const name = req.command;
    return new Promise((resolve, reject) => {
      link.client.subsys(name, (err, ch) =>
        err ? reject(new TetherError('remote', `subsystem request failed on channel 0`, { cause: err })) : resolve(ch),
      );
    });
  }
  return req.command !== undefined ? openExec(link, req.command, opts) : openShell(link, opts);
}

/** Exit status ssh gives for a session end: the remote status, else 255 (signal, or no status at all). */
export function exitStatusOf(exit: SessionExit): number {
  return exit.code ?? 255;
}

/**
 * Runs the request and resolves to ssh's exit status: the remote status, or 255 when the command
 * died of a signal or the connection ended without a status (as OpenSSH).
 */
export async function runRemote(link: Link, req: ExecRequest): Promise<number> {
  const opened = await openChannel(link, req);
  const ch: ClientChannel = 'channel' in opened ? opened.channel : opened;
  let status = 255;
  ch.on('exit', (code: number | null) => {
    if (typeof code === 'number') status = code;
  });
  ch.on('data', (d: Buffer) => {
    if (!req.stdout.write(d)) {
      ch.pause();
      req.stdout.once('drain', () => ch.resume());
    }
  });
  ch.stderr.on('data', (d: Buffer) => {
    if (!req.stderr.write(d)) {
      ch.stderr.pause();
      req.stderr.once('drain', () => ch.stderr.resume());
    }
  });
  const onStdinData = (d: Buffer): void => {
    if (!ch.write(d)) {
      req.stdin.pause();
      ch.once('drain', () => req.stdin.resume());
    }
  };
  const onStdinEnd = (): void => {
    ch.end();
  };
  if (req.stdinNull) ch.end();
  else {
    req.stdin.on('data', onStdinData);
    req.stdin.on('end', onStdinEnd);
    req.stdin.resume();
  }
  await new Promise<void>((resolve) => {
    ch.on('close', () => resolve());
    link.onClose(() => resolve());
  });
  req.stdin.off('data', onStdinData);
  req.stdin.off('end', onStdinEnd);
  req.stdin.pause();
  await flush(req.stdout);
  await flush(req.stderr);
  return status;
}

/** Resolves once everything written to the stream has been handed to the OS. */
function flush(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    if (!stream.write('')) stream.once('drain', () => resolve());
    else resolve();
  });
}
