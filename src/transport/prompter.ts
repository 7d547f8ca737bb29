// What the transport asks of a person: passphrases, passwords, host-key confirmation. The cli implements it on
// /dev/tty; tests script it. The transport never touches a terminal itself.

/** The questions the transport may ask while connecting; undefined means "no answer" (EOF, ^C, no terminal). */
export interface Prompter {
  /** Reads a line without echo (passphrases, passwords); the prompt ends with ": " as ssh's do. */
  secret(prompt: string): Promise<string | undefined>;
  /** Reads a line with echo (host-key confirmation, echoing keyboard-interactive prompts). */
  confirm(question: string): Promise<string | undefined>;
  /** Shows one line of information or warning (stderr in ssh); may contain newlines for multi-line warnings. */
  info(line: string): void;
  /** The server's pre-login banner as sent (ssh writes its bytes unchanged); through `info` when absent. */
  banner?(text: string): void;
}

/** A prompter that never asks anyone (BatchMode, tests): every question goes unanswered. */
export const silentPrompter: Prompter = {
  secret: () => Promise.resolve(undefined),
  confirm: () => Promise.resolve(undefined),
  info: () => undefined,
};
