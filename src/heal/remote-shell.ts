// The interactive channel of a healing session: the tmux command (or a shell) with a pty sized to the remote area.
import type { InteractiveCommand } from '../remote/tmux-command.js';
import type { Link } from '../transport/link.js';
import { openExec, openShell } from '../transport/session.js';
import type { SessionExit } from '../transport/session.js';

/** What every (re)opened shell needs. */
export interface ShellSpec {
  /** The tmux session name. */
  session: string;
  command: InteractiveCommand;
  term: string;
  env: Record<string, string>;
  agentForward: boolean;
}

/** Where the shell's output goes, and how flow control reaches back. */
export interface ShellSink {
  /** Output bytes; false = pause until resume() is called. */
  write(data: Buffer): boolean;
  /** Registers the callback that resumes a paused shell. */
  onDrain(fn: () => void): void;
}

/** The interactive channel as the session uses it: keys in, size, its end. */
export interface InteractiveChannel {
  /** Typed bytes for the remote program. */
  write(bytes: Buffer): void;
  resize(rows: number, cols: number): void;
  /** Resolves when the channel ends: with the remote program's status, or without one when the link broke. */
  readonly exit: Promise<SessionExit>;
  dispose(): void;
}

/** An open interactive channel, and when it first drew something (tmux attached and reading input). */
export interface RemoteShell {
  session: InteractiveChannel;
  /** Resolves at the first output byte: keys written before may be flushed away by tmux's attach. */
  ready: Promise<void>;
}

/** Opens the interactive channel on a link, sized rows × cols, its output piped into the sink. */
export async function openRemoteShell(link: Link, spec: ShellSpec, size: { rows: number; cols: number }, sink: ShellSink): Promise<RemoteShell> {
  const opts = { pty: { term: spec.term, rows: size.rows, cols: size.cols }, env: spec.env, agentForward: spec.agentForward };
  const session = spec.command.command !== undefined ? await openExec(link, spec.command.command, opts) : await openShell(link, opts);
  const pipe = (stream: NodeJS.ReadableStream): void => {
    stream.on('data', (d: Buffer) => {
      if (!sink.write(d)) {
        stream.pause();
        sink.onDrain(() => stream.resume());
      }
    });
  };
  pipe(session.stdout);
  pipe(session.stderr);
  const ready = new Promise<void>((resolve) => {
    session.stdout.once('data', () => resolve());
    void session.exit.then(() => resolve());
  });
  const channel: InteractiveChannel = {
    write: (bytes) => session.stdin.write(bytes),
    resize: (rows, cols) => session.resize(rows, cols),
    exit: session.exit,
    dispose: () => session.dispose(),
  };
  return { session: channel, ready };
}
