// The composition root: argv in, exit status out. Only this file (and the cli/ helpers it calls) wires the layers.
// What a run may not need is imported when it is needed (start-up time and memory: `host true` never loads the UI).
import { TetherError, messageOf } from '../common/errors.js';
import type { EffectiveConfig } from '../config/types.js';
import { parseArgv, commandLine } from './argv.js';
import type { ConnectArgs } from './argv-types.js';
import { SSH_USAGE, TETHER_USAGE, sshStderr } from './argv-usage.js';
import { loadHopConfig } from './argv-jump.js';
import { loadEffectiveConfig } from './argv-config.js';
import { runSystemSsh } from './fallback.js';
import { localContext } from './local-context.js';
import { decideTty } from './tty-decision.js';
import { ttyPrompter } from './tty-prompter.js';
import { unsupported } from './argv-unsupported.js';
import { VERSION } from './version.js';
import { sshLogLines } from './ssh-log.js';

/** Runs tether with the given arguments and resolves to the process exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const parsed = parseArgv(argv);
    switch (parsed.kind) {
      case 'help':
        process.stdout.write(`${SSH_USAGE}\n\n${TETHER_USAGE}\n`);
        return 0;
      case 'version':
        process.stdout.write(`tether ${VERSION}\n`);
        return 0;
      case 'system-ssh':
        return await runSystemSsh(parsed.sshArgv, { reason: parsed.reason, quiet: true, stderr: process.stderr });
      case 'subcommand':
        return await (await import('./subcommands.js')).runSubcommand(parsed);
      case 'connect':
        return await runConnect(parsed);
    }
  } catch (err) {
    return report(err);
  }
}

/** Prints an error the way ssh would (one line, or ssh's own multi-line text) and returns 255. */
function report(err: unknown): number {
  const msg = err instanceof TetherError ? err.message : `tether: ${messageOf(err)}`;
  // ssh's own messages are log lines (CR LF); usage errors are as ssh's getopt and usage() print them
  if (err instanceof TetherError && err.kind !== 'usage') process.stderr.write(sshLogLines(msg));
  else process.stderr.write(msg.endsWith('\n') ? msg : sshStderr(msg));
  if (err instanceof TetherError && err.kind === 'usage' && /^tether /.test(msg)) return 2;
  return 255;
}

/** `tether [options] host [command]`: the effective config, then the system ssh, one run, or a healing session. */
async function runConnect(args: ConnectArgs): Promise<number> {
  const local = localContext(process.env);
  const warn = (m: string): void => {
    if (!args.flags.quiet) process.stderr.write(`${m}\n`); // ssh prints these with fprintf (LF)
  };
  const configured = loadEffectiveConfig(args, local, { warn });
  // every connecting run needs the transport (ssh2): load it while `ssh -G` runs
  const transport = import('../transport/connect.js');
  transport.catch(() => undefined);
  const { config, warnings } = await configured;
  for (const w of warnings) warn(w);
  const reason = unsupported(args, config, { capabilities: { unixSocketForwards: true }, env: process.env, uid: local.uid });
  if (reason !== undefined) {
    return runSystemSsh(args.sshArgv, { reason, quiet: args.flags.quiet || config.logLevel === 'QUIET', stderr: process.stderr });
  }
  const prompter = ttyPrompter({ env: process.env, batchMode: config.batchMode, stderr: process.stderr });
  const resolveHop = (spec: string): Promise<EffectiveConfig> =>
    loadHopConfig(spec, local, { warn, ...(args.flags.configFile ? { configFile: args.flags.configFile } : {}) });
  const command = args.command.length > 0 ? commandLine(args) : config.remoteCommand;
  const tty = decideTty(config, command !== undefined, process.stdin.isTTY === true);
  if (tty.warning) process.stderr.write(sshLogLines(tty.warning));
  const quiet = args.flags.quiet || config.logLevel === 'QUIET';
  if (tty.pty && command === undefined && process.stdin.isTTY && process.stdout.isTTY && config.sessionType === 'default') {
    const { runHealing } = await import('./healing.js');
    return runHealing({ args, config, prompter, resolveHop, quiet });
  }
  if (config.sessionType === 'none' && !config.forkAfterAuthentication) {
    const [{ openSettings, DEFAULT_SETTINGS }, { tetherPaths }, { runTunnel }] = await Promise.all([
      import('../config/settings.js'),
      import('../config/paths.js'),
      import('./tunnel.js'),
    ]);
    const keepaliveMs = await openSettings(tetherPaths(process.env, local.home).configDir).then(
      (st) => st.get('keepaliveMs'),
      () => DEFAULT_SETTINGS.keepaliveMs,
    );
    return runTunnel({ config, prompter, resolveHop, stderr: process.stderr, quiet, keepaliveMs });
  }
  // a reader that goes away (`| head -1`) ends the run with 255 as in ssh, never with a stack trace
  process.stdout.on('error', () => undefined);
  const { runOnce } = await import('./run-once.js');
  return runOnce({
    config,
    command,
    subsystem: args.flags.subsystem,
    pty: tty.pty,
    prompter,
    resolveHop,
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    quiet,
  });
}
