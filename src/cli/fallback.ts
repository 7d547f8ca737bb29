// Hands the whole argv to the system `ssh` when tether cannot honour an option, so an alias never breaks.
import { spawn } from 'node:child_process';
import { TetherError } from '../common/errors.js';

/** Runs `ssh` with exactly the user's argv and the terminal inherited; resolves to its exit status. */
export async function runSystemSsh(
  argv: readonly string[],
  opts: { reason: string; quiet: boolean; sshPath?: string; stderr: NodeJS.WritableStream },
): Promise<number> {
  if (!opts.quiet) opts.stderr.write(`tether: ${opts.reason}; running the system ssh instead\n`);
  const child = spawn(opts.sshPath ?? 'ssh', [...argv], { stdio: 'inherit' });
  // While ssh owns the terminal, signals from the tty reach it directly; tether only waits.
  const ignore = (): void => {};
  for (const sig of ['SIGINT', 'SIGQUIT', 'SIGTSTP'] as const) process.on(sig, ignore);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', (err) =>
        reject(new TetherError('unsupported', `tether: ${opts.reason}, and no system ssh could be run: ${err.message}`, { cause: err })),
      );
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 255 : 0)));
    });
  } finally {
    for (const sig of ['SIGINT', 'SIGQUIT', 'SIGTSTP'] as const) process.off(sig, ignore);
  }
}
