// Whether to request a pty, exactly as ssh.c decides it (RequestTTY, SessionType, a command, stdin a terminal).
import type { EffectiveConfig } from '../config/types.js';

/** The decision and the warning ssh prints when it declines a requested pty. */
export interface TtyDecision {
  pty: boolean;
  warning?: string;
}

/** ssh.c: auto = a pty when there is no command; no tty when stdin is not a terminal unless forced. */
export function decideTty(config: EffectiveConfig, hasCommand: boolean, stdinIsTty: boolean): TtyDecision {
  if (config.requestTTY === 'no' || config.sessionType === 'none') return { pty: false };
  let pty = config.requestTTY === 'yes' || config.requestTTY === 'force' || !hasCommand;
  if (!stdinIsTty && config.requestTTY !== 'force') {
    const warning = pty && config.logLevel !== 'QUIET' ? 'Pseudo-terminal will not be allocated because stdin is not a terminal.' : undefined;
    pty = false;
    return warning ? { pty, warning } : { pty };
  }
  return { pty };
}
