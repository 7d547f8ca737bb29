// Non-interactive use (`tether host cmd`, pipes, rsync, git): bytes and exit status exactly as OpenSSH.
import type { Client, ClientChannel, PseudoTtyOptions } from 'ssh2';
import { TetherError } from '../common/errors.js';

/** What to run and where its bytes go. */
export interface ExecRequest {
  /** The remote command; undefined runs the login shell (ssh host < script). */
  command: string | undefined;
  /** A pty for `-t`/`-tt`; undefined for none. */
  pty: PseudoTtyOptions | undefined;
  env: Record<string, string>;
  /** `-n` / StdinNull: never read stdin. */
  stdinNull: boolean;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Opens the session channel: exec for a command, shell otherwise. */
function openChannel(client: Client, req: ExecRequest): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    const cb = (err: Error | undefined, ch: ClientChannel): void => {
      if (err) reject(new TetherError('remote', `channel 0: open failed: ${err.message}`, { cause: err }));
      else resolve(ch);
    };
    if (req.command !== undefined) client.exec(req.command, { env: req.env, pty: req.pty ?? false }, cb);
    else client.shell(req.pty ?? false, { env: req.env }, cb);
  });
}

/**
 * Runs the request and resolves to ssh's exit status: the remote status, or 255 when the command
 * died of a signal or the connection ended without a status (as OpenSSH).
 */
export async function runRemote(client: Client, req: ExecRequest): Promise<number> {
  const ch = await openChannel(client, req);
  let status = 255;
  ch.on('exit', (code: number | null) => {
    if (typeof code === 'number') status = code;
  });
  ch.pipe(req.stdout as NodeJS.WritableStream, { end: false });
  ch.stderr.pipe(req.stderr as NodeJS.WritableStream, { end: false });
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
    client.once('close', () => resolve());
  });
  req.stdin.off('data', onStdinData);
  req.stdin.off('end', onStdinEnd);
  req.stdin.pause();
  ch.unpipe();
  ch.stderr.unpipe();
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
