// How remote/ runs anything on the server: an injected exec, so this layer holds no SSH code.
import { shQuote } from './shell-quote.js';

/** What one remote command returned; `code` is null when it died by a signal or timed out. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs one command string on the server over a fresh exec channel (the transport supplies it). */
export type RemoteExec = (command: string, opts?: { timeoutMs?: number }) => Promise<ExecResult>;

/**
 * The command string that runs a POSIX sh script whatever the user's login shell is
 * (sshd hands the string to `$SHELL -c`; bash, zsh, dash, ksh and fish all accept it;
 * csh/tcsh reject the newlines inside quotes, a known limit).
 */
export function shScriptCommand(script: string): string {
  return `exec /bin/sh -c ${shQuote(script)}`;
}
