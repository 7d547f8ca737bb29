// A session with a pty but nothing to restore (`tether -t host cmd`): raw mode, escapes, resizes, pass-through.
import type { EffectiveConfig } from '../config/types.js';
import { EscapeParser, escapeHelp, parseEscapeChar } from '../terminal/escape.js';
import { LocalTty } from '../terminal/tty.js';
import type { Link } from '../transport/link.js';
import { openExec, openShell } from '../transport/session.js';
import { exitStatusOf } from './exec-mode.js';

/** What the session runs and on which streams. */
export interface PtySessionRequest {
  command: string | undefined;
  env: Record<string, string>;
  agentForward: boolean;
  config: EffectiveConfig;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** Runs one pty session as ssh does; resolves to the exit status (255 after `~.` or a lost link). */
export async function runPtySession(link: Link, req: PtySessionRequest): Promise<number> {
  const tty = new LocalTty({ stdin: req.stdin, stdout: req.stdout });
  const size = tty.size();
  const term = req.env.TERM ?? process.env.TERM ?? 'vt100';
  const pty = { term, rows: size.rows, cols: size.cols };
  const opts = { pty, env: req.env, agentForward: req.agentForward };
  const session = req.command !== undefined ? await openExec(link, req.command, opts) : await openShell(link, opts);
  tty.enter(() => '');
  const escapeChar = req.config.escapeChar === 'none' ? null : parseEscapeChar(req.config.escapeChar);
  const escapes = new EscapeParser(escapeChar);
  let quit = false;
  const onData = (d: Buffer): void => {
    for (const a of escapes.feed(d)) {
      if (a.type === 'send') session.stdin.write(a.bytes);
      else if (a.type === 'disconnect') {
        quit = true;
        session.dispose();
        link.dispose();
      } else if (a.type === 'help' && escapeChar !== null) req.stderr.write(`${escapeHelp(escapeChar)}\r\n`);
      else if (a.type === 'unsupported') req.stderr.write(`${a.message}\r\n`);
    }
  };
  req.stdin.on('data', onData);
  req.stdin.resume();
  session.stdout.on('data', (d: Buffer) => tty.write(d));
  session.stderr.on('data', (d: Buffer) => req.stderr.write(d));
  const resize = tty.onResize((rows, cols) => session.resize(rows, cols));
  try {
    const exit = await Promise.race([session.exit, new Promise<undefined>((resolve) => link.onClose(() => resolve(undefined)))]);
    return quit || exit === undefined ? 255 : exitStatusOf(exit);
  } finally {
    resize.dispose();
    req.stdin.off('data', onData);
    req.stdin.pause();
    tty.dispose();
  }
}
