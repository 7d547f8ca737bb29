// RemoteExec over a Link: run one command on a fresh exec channel, collect its output, give up after a timeout.
import { TetherError } from '../common/errors.js';
import type { ExecResult, RemoteExec } from '../remote/exec.js';
import type { Link } from '../transport/link.js';
import { openExec } from '../transport/session.js';

/** Most bytes kept of each stream (evidence scripts print a few KiB). */
const MAX_OUTPUT = 256 * 1024;

/** A RemoteExec bound to one link; a timeout closes the channel and rejects. */
export function linkExec(link: Link): RemoteExec {
  return async (command, opts = {}): Promise<ExecResult> => {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TetherError('remote', `remote command timed out after ${timeoutMs} ms`, { fatal: false })), timeoutMs);
    });
    try {
      const session = await Promise.race([openExec(link, command), timeout]);
      let stdout = '';
      let stderr = '';
      session.stdout.on('data', (d: Buffer) => {
        if (stdout.length < MAX_OUTPUT) stdout += d.toString('utf8');
      });
      session.stderr.on('data', (d: Buffer) => {
        if (stderr.length < MAX_OUTPUT) stderr += d.toString('utf8');
      });
      session.stdin.end();
      try {
        const exit = await Promise.race([session.exit, timeout]);
        return { stdout, stderr, code: exit.code ?? null };
      } finally {
        session.dispose();
      }
    } finally {
      clearTimeout(timer);
    }
  };
}
