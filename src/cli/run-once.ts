// One connection, no healing: commands, pipes, -N tunnels run once (`tether host cmd`, rsync, git, scp-like use).
import type { TetherError } from '../common/errors.js';
import type { EffectiveConfig } from '../config/types.js';
import { connect } from '../transport/connect.js';
import type { Link } from '../transport/link.js';
import type { Prompter } from '../transport/prompter.js';
import { sessionEnv } from '../transport/session.js';
import { runRemote } from './exec-mode.js';
import { startLocalListeners, startRemoteForwards } from './forwards.js';
import { sshLogLines } from './ssh-log.js';

/** Everything one run needs, built by main. */
export interface OnceContext {
  config: EffectiveConfig;
  /** The remote command as ssh sends it; undefined for a shell. */
  command: string | undefined;
  subsystem: boolean;
  pty: boolean;
  prompter: Prompter;
  resolveHop: (spec: string) => Promise<EffectiveConfig>;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  quiet: boolean;
}

/** Connects, starts the forwards, runs the session (or waits, with -N); resolves to ssh's exit status. */
export async function runOnce(ctx: OnceContext): Promise<number> {
  const { config } = ctx;
  const link = await connect({ config, prompter: ctx.prompter, resolveHop: ctx.resolveHop });
  let linkError: TetherError | undefined;
  link.onClose((err) => {
    linkError = err;
  });
  const listeners = await startLocalListeners(config, () => (link.closed ? undefined : link), ctx.prompter);
  const remote = await startRemoteForwards(config, link, ctx.prompter);
  try {
    if (config.sessionType === 'none') return await waitForClose(link, ctx);
    const env = sessionEnv(config, ctx.env);
    const agentForward = config.forwardAgent;
    let status: number;
    if (ctx.pty) {
      // the local tty code only for -t runs
      const { runPtySession } = await import('./pty-session.js');
      status = await runPtySession(link, { command: ctx.command, env, agentForward, config, stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr });
      if (!ctx.quiet && !linkError) ctx.stderr.write(`Connection to ${config.hostname} closed.\r\n`);
    } else {
      status = await runRemote(link, {
        command: ctx.command,
        subsystem: ctx.subsystem,
        pty: undefined,
        env,
        agentForward,
        stdinNull: config.stdinNull,
        stdin: ctx.stdin,
        stdout: ctx.stdout,
        stderr: ctx.stderr,
      });
    }
    if (linkError && !ctx.quiet) ctx.stderr.write(sshLogLines(linkError.message));
    return linkError ? 255 : status;
  } finally {
    remote.dispose();
    listeners.dispose();
    link.dispose();
  }
}

/** -N: nothing to run; the forwards work until the link ends or a signal ends us. */
function waitForClose(link: Link, ctx: OnceContext): Promise<number> {
  return new Promise((resolve) => {
    const stop = (): void => resolve(255);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    link.onClose((err) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      if (err && !ctx.quiet) ctx.stderr.write(sshLogLines(err.message));
      resolve(255);
    });
  });
}
