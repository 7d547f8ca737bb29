// Sets up a healing interactive session: first connection (prompts allowed), learned host state, forwards, the UI.
import { randomInt } from 'node:crypto';
import type { ConnectArgs } from './argv-types.js';
import { hostKey, openHostState } from '../config/host-state.js';
import type { HostStateStore } from '../config/host-state.js';
import { tetherPaths } from '../config/paths.js';
import { openSettings, DEFAULT_SETTINGS } from '../config/settings.js';
import type { EffectiveConfig } from '../config/types.js';
import { resetsPath } from '../history/log.js';
import { generateLocalId, resolveSessionName } from '../remote/session-name.js';
import { TerminalUI } from '../terminal/ui.js';
import { connect } from '../transport/connect.js';
import type { Link } from '../transport/link.js';
import type { Prompter } from '../transport/prompter.js';
import { sessionEnv } from '../transport/session.js';
import { startLocalListeners, startRemoteForwards } from './forwards.js';
import { realClock } from './heal/clock.js';
import { CredentialCache } from '../transport/credential-cache.js';
import { debugLogger } from './heal/debug-log.js';
import { HealingSession } from './heal/session.js';
import { localContext } from './local-context.js';
import { sshLogLines } from './ssh-log.js';

/** What main hands over. */
export interface HealingRequest {
  args: ConnectArgs;
  config: EffectiveConfig;
  prompter: Prompter;
  resolveHop: (spec: string) => Promise<EffectiveConfig>;
  quiet: boolean;
}

/** Runs an interactive session that survives resets; resolves to the exit status. */
export async function runHealing(req: HealingRequest): Promise<number> {
  const { config, args } = req;
  const env = process.env;
  const home = localContext(env).home;
  const warn = (m: string): void => {
    if (!req.quiet) process.stderr.write(`${m}\r\n`);
  };
  const session = resolveSessionName({ session: args.tether.session, localId: generateLocalId() });
  const paths = tetherPaths(env, home);
  const settings = await openSettings(paths.configDir).then(
    (s) => s.all(),
    (err: unknown) => {
      warn(String(err instanceof Error ? err.message : err));
      return { ...DEFAULT_SETTINGS };
    },
  );
  const hostState: HostStateStore | undefined = await openHostState(paths.stateDir).catch((err: unknown) => {
    warn(`tether: learned host state unavailable: ${String(err instanceof Error ? err.message : err)}`);
    return undefined;
  });
  const stateKey = hostKey(config.user, config.hostname, config.port);
  const learnedState = hostState?.get(stateKey) ?? {};
  const credentials = new CredentialCache(true);
  const first = await connect({ config, prompter: req.prompter, credentials, resolveHop: req.resolveHop });

  // -L/-D listeners outlive reconnects: during an outage new connections wait for the next link.
  let current: Link | undefined = first;
  let waiters: ((l: Link) => void)[] = [];
  const setCurrentLink = (l: Link | undefined): void => {
    current = l;
    if (l) for (const w of waiters.splice(0)) w(l);
  };
  const listeners = await startLocalListeners(config, () => current ?? new Promise<Link>((r) => (waiters = [...waiters, r])), req.prompter);

  const ui = new TerminalUI();
  const healing = new HealingSession({
    config,
    first,
    credentials,
    resolveHop: req.resolveHop,
    ui,
    uiStart: () =>
      ui.start({
        stdin: process.stdin,
        stdout: process.stdout,
        escapeChar: config.escapeChar === 'none' ? null : config.escapeChar,
        statusBar: settings.statusBar && !args.tether.noStatus,
        now: realClock.mono,
      }),
    session,
    useTmux: settings.tmux && !args.tether.noTmux,
    term: env.TERM ?? 'xterm-256color',
    env: sessionEnv(config, env),
    recorder: {
      historyFile: resetsPath(paths.stateDir),
      hostState,
      hostStateKey: stateKey,
      user: config.user,
      session,
      warn,
    },
    learned: {
      ...(learnedState.keepaliveMs === undefined ? {} : { keepaliveMs: learnedState.keepaliveMs }),
      ...(learnedState.idleBoundMs === undefined ? {} : { idleBoundMs: learnedState.idleBoundMs }),
    },
    defaultKeepaliveMs: settings.keepaliveMs,
    heldInputBytes: settings.heldInputBytes,
    clock: realClock,
    random: () => randomInt(0, 2 ** 32) / 2 ** 32,
    startRemoteForwards: (link) => startRemoteForwards(config, link, req.prompter),
    setCurrentLink,
    stderr: process.stderr,
    quiet: req.quiet,
    debug: debugLogger(env.TETHER_DEBUG_LOG),
  });
  try {
    return await healing.run();
  } finally {
    ui.dispose();
    listeners.dispose();
    first.dispose();
    // after the terminal is back to how it was found, so the line stays on screen
    if (healing.exitMessage && !req.quiet) process.stderr.write(sshLogLines(healing.exitMessage));
  }
}
