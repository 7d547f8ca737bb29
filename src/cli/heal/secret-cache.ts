// Answers given at the first connection, replayed on reconnects: a healing session must not stop to ask again.
import type { Prompter } from '../../transport/prompter.js';

/** Wraps a prompter: the first connection asks the user and remembers; later ones replay from memory only. */
export class CachingPrompter {
  /** Prompt text → answer, in memory only (never written anywhere). */
  private readonly answers = new Map<string, string>();

  constructor(private readonly inner: Prompter) {}

  /** For the first connection: asks, and remembers secrets. */
  readonly interactive: Prompter = {
    secret: async (prompt) => {
      const a = await this.inner.secret(prompt);
      if (a !== undefined) this.answers.set(prompt, a);
      return a;
    },
    confirm: (q) => this.inner.confirm(q),
    info: (line) => this.inner.info(line),
  };

  /** For reconnects while the terminal is in raw mode: replays, never asks; info goes to `info`. */
  replay(info: (line: string) => void): Prompter {
    return {
      secret: (prompt) => Promise.resolve(this.answers.get(prompt)),
      confirm: () => Promise.resolve(undefined),
      info,
    };
  }
}
