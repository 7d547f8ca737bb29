// Non-interactive use (`tether host cmd`, pipes, rsync, git): bytes and exit status exactly as OpenSSH.
import type { Link } from '../transport/link.js';
import { openExec, openShell, openSubsystem } from '../transport/session.js';
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
function openChannel(link: Link, req: ExecRequest): Promise<RemoteSession> {
  const opts = { ...(req.pty ? { pty: req.pty } : {}), env: req.env, agentForward: req.agentForward };
  if (req.subsystem && req.command !== undefined) return openSubsystem(link, req.command);
  return req.command !== undefined ? openExec(link, req.command, opts) : openShell(link, opts);
}

/** Exit status ssh gives for a session end: the remote status, else 255 (signal, or no status at all). */
export function exitStatusOf(exit: SessionExit): number {
  return exit.code ?? 255;
}

/** Copies a channel stream to a local one with backpressure; a local write error (EPIPE) calls `broken`. */
function copyOut(from: NodeJS.ReadableStream, to: NodeJS.WritableStream, broken: () => void): () => void {
  let waiting = false;
  const onData = (d: Buffer): void => {
    if (!to.write(d) && !waiting) {
      waiting = true;
      from.pause();
      to.once('drain', () => {
        waiting = false;
        from.resume();
      });
    }
  };
  const onError = (): void => broken();
  from.on('data', onData);
  to.on('error', onError);
  return () => {
    from.off('data', onData);
    to.off('error', onError);
  };
}

/**
 * Runs the request and resolves to ssh's exit status: the remote status, or 255 when the command
 * died of a signal, the connection ended without a status, or our stdout's reader went away (as OpenSSH).
 */
export async function runRemote(link: Link, req: ExecRequest): Promise<number> {
  // RemoteSession.exit listens from the moment the channel opens: a quick command's status is never missed
  const session = await openChannel(link, req);
  let outputGone = false;
  let onGone: (() => void) | undefined;
  const gone = (): void => {
    // the reader went away: stop at once (a paused channel would never end), as ssh does
    outputGone = true;
    session.stdout.resume();
    session.dispose();
    onGone?.();
  };
  const undoOut = copyOut(session.stdout, req.stdout, gone);
  const undoErr = copyOut(session.stderr, req.stderr, () => undefined);
  let stdinWaiting = false;
  const onStdinData = (d: Buffer): void => {
    if (!session.stdin.write(d) && !stdinWaiting) {
      stdinWaiting = true;
      req.stdin.pause();
      session.stdin.once('drain', () => {
        stdinWaiting = false;
        req.stdin.resume();
      });
    }
  };
  const onStdinEnd = (): void => {
    session.stdin.end();
  };
  if (req.stdinNull) session.stdin.end();
  else {
    req.stdin.on('data', onStdinData);
    req.stdin.on('end', onStdinEnd);
    req.stdin.resume();
  }
  const exit = await Promise.race([
    session.exit,
    new Promise<undefined>((resolve) => link.onClose(() => resolve(undefined))),
    new Promise<undefined>((resolve) => (onGone = () => resolve(undefined))),
  ]);
  req.stdin.off('data', onStdinData);
  req.stdin.off('end', onStdinEnd);
  req.stdin.pause();
  // the copying is over: a reader that closes now (scp) costs nothing, as with ssh
  undoOut();
  undoErr();
  if (!outputGone) await flush(req.stdout);
  await flush(req.stderr);
  return outputGone || exit === undefined ? 255 : exitStatusOf(exit);
}

/** Resolves once everything written to the stream has been handed to the OS (or the stream failed). */
function flush(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('error', done);
      resolve();
    };
    stream.once('error', done);
    try {
      if (stream.write('')) done();
      else stream.once('drain', done);
    } catch {
      done();
    }
  });
}
