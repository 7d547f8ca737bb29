// Sets up a healing interactive session: first connection (prompts allowed), learned host state, forwards, the UI.
import { randomInt } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import type { ConnectArgs } from './argv-types.js';
import { hostKey, openHostState } from '../config/host-state.js';
import type { HostStateStore } from '../config/host-state.js';
import { tetherPaths } from '../config/paths.js';
import { openSettings, DEFAULT_SETTINGS } from '../config/settings.js';
import type { EffectiveConfig } from '../config/types.js';
import { SessionEvents } from '../events/port.js';
import { resetsPath } from '../history/log.js';
import { liveDir } from '../live/dir.js';
import { startLivePublisher } from '../live/publisher.js';
import { generateLocalId, resolveSessionName } from '../remote/session-name.js';
import { connect } from '../transport/connect.js';
import type { Link } from '../transport/link.js';
import type { Prompter } from '../transport/prompter.js';
import { sessionEnv } from '../transport/session.js';
import { startLocalListeners, startRemoteForwards } from './forwards.js';
import { realClock } from '../heal/clock.js';
import { CredentialCache } from '../transport/credential-cache.js';
import { debugLogger } from '../heal/debug-log.js';
import { HealingSession } from '../heal/session.js';
import { localContext } from './local-context.js';
import { sshLogLines } from './ssh-log.js';
import { terminalOutlet } from './ui-outlet.js';
import { YoungGeneration } from './young-generation.js';
import type { Disposable } from '../common/disposable.js';
import { EXIT_FLUSH_MS, openConfiguredSinks, sinkSettings } from './sinks-wiring.js';

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
  // the terminal UI (blessed, the screen model) is loaded while the handshake waits on the network
  const uiModule = import('../terminal/ui.js');
  const first = await connect({ config, prompter: req.prompter, credentials, resolveHop: req.resolveHop });

  // -L/-D listeners outlive reconnects: during an outage new connections wait for the next link.
  let current: Link | undefined = first;
  let waiters: ((l: Link) => void)[] = [];
  const setCurrentLink = (l: Link | undefined): void => {
    current = l;
    if (l) for (const w of waiters.splice(0)) w(l);
  };
  const listeners = await startLocalListeners(config, () => current ?? new Promise<Link>((r) => (waiters = [...waiters, r])), req.prompter);

  const { TerminalUI } = await uiModule;
  const ui = new TerminalUI();
  const young = new YoungGeneration(setFlagsFromString);
  // the event port and its outlets (issue 12): a live-session socket for `tether dashboard`; never fatal
  const debug = debugLogger(env.TETHER_DEBUG_LOG);
  const sinks = await openConfiguredSinks(sinkSettings(settings, env), paths.stateDir, debug);
  const events = new SessionEvents((err, e) => debug(`event subscriber failed on ${e.type}: ${String(err)}`));
  // the log sinks are subscribers of the port: each record, and its update when the slow facts are in
  const sinkSub = sinks
    ? events.subscribe((e) => {
        if (e.type === 'reset-recorded') sinks.record(e.record);
        else if (e.type === 'reset-updated') sinks.update(e.id, e.update);
      })
    : undefined;
  // not awaited: the socket is made while the session starts (it subscribes at once, so nothing is missed)
  const live = startLivePublisher({ dir: liveDir(env, paths.stateDir), events, pid: process.pid, now: Date.now }).catch((err: unknown) => {
    debug(`live session socket unavailable: ${String(err)}`);
    return undefined;
  });
  // the terminal is a subscriber too (bar, outage panel, flashes), from the moment it takes over the screen
  let uiSub: Disposable | undefined;
  const healing = new HealingSession({
    config,
    first,
    credentials,
    resolveHop: req.resolveHop,
    ui,
    uiStart: () => {
      ui.start({
        stdin: process.stdin,
        stdout: process.stdout,
        escapeChar: config.escapeChar === 'none' ? null : config.escapeChar,
        statusBar: settings.statusBar && !args.tether.noStatus,
        pinBar: settings.pinBar,
        now: realClock.wall, // the events' clock
      });
      uiSub = events.subscribe(terminalOutlet(config.host, ui));
    },
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
    onOutput: (bytes) => young.output(bytes),
    events,
    debug,
  });
  try {
    return await healing.run();
  } finally {
    uiSub?.dispose();
    ui.dispose();
    (await live)?.dispose();
    listeners.dispose();
    first.dispose();
    // after the terminal is back to how it was found, so the line stays on screen
    if (healing.exitMessage && !req.quiet) process.stderr.write(sshLogLines(healing.exitMessage));
    sinkSub?.dispose();
    await sinks?.close(EXIT_FLUSH_MS);
  }
}
