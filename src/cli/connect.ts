// `tether [options] host [command]`: the effective config, then the system ssh, one run, a tunnel or a healing
// session. The run's own code is imported once the config has chosen it (main.ts says why).
import type { EffectiveConfig } from '../config/types.js';
import { commandLine } from './argv.js';
import type { ConnectArgs } from './argv-types.js';
import { loadHopConfig } from './argv-jump.js';
import { loadEffectiveConfig } from './argv-config.js';
import { runSystemSsh } from './fallback.js';
import { localContext } from './local-context.js';
import { decideTty } from './tty-decision.js';
import { ttyPrompter } from './tty-prompter.js';
import { unsupported } from './argv-unsupported.js';
import { sshLogLines } from './ssh-log.js';

/** `tether [options] host [command]`: the effective config, then the system ssh, one run, or a healing session. */
export async function runConnect(args: ConnectArgs): Promise<number> {
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
