// Asks the user for passphrases, passwords and host-key confirmations on /dev/tty (or SSH_ASKPASS), as ssh does.
import { execFile } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { sshLogLines } from './ssh-log.js';

/** The three things the transport asks of a person (mirrors transport/prompter.ts). */
export interface UserPrompter {
  secret(prompt: string): Promise<string | undefined>;
  confirm(question: string): Promise<string | undefined>;
  info(line: string): void;
  banner(text: string): void;
}

/** Reads one line from /dev/tty, echoing it or not; undefined on ^C, ^D or no terminal. */
async function readTty(prompt: string, echo: boolean): Promise<string | undefined> {
  let fdIn: number;
  let fdOut: number;
  try {
    fdIn = openSync('/dev/tty', 'r');
    fdOut = openSync('/dev/tty', 'w');
  } catch {
    return undefined;
  }
  const input = new ReadStream(fdIn);
  const output = new WriteStream(fdOut);
  const wasRaw = input.isRaw;
  input.setRawMode(true);
  output.write(prompt);
  try {
    return await new Promise<string | undefined>((resolve) => {
      let line = '';
      input.on('data', (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return resolve(line);
          if (ch === '\x03' || ch === '\x04') return resolve(undefined);
          if (ch === '\x7f' || ch === '\b') {
            if (line.length > 0) {
              line = line.slice(0, -1);
              if (echo) output.write('\b \b');
            }
          } else if (ch === '\x15') {
            if (echo) output.write('\b \b'.repeat(line.length));
            line = '';
          } else {
            line += ch;
            if (echo) output.write(ch);
          }
        }
      });
      input.on('error', () => resolve(undefined));
    });
  } finally {
    output.write('\r\n');
    input.setRawMode(wasRaw);
    input.removeAllListeners('data');
    // Each stream owns its fd and closes it.
    input.destroy();
    output.destroy();
  }
}

/** Runs SSH_ASKPASS with the prompt as its argument, as OpenSSH does; undefined when it fails. */
function askpass(program: string, prompt: string, confirm: boolean, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    const childEnv = confirm ? { ...env, SSH_ASKPASS_PROMPT: 'confirm' } : env;
    execFile(program, [prompt], { env: childEnv, timeout: 120_000 }, (err, stdout) => {
      if (err) resolve(undefined);
      else resolve(stdout.replace(/\r?\n$/, ''));
    });
  });
}

/**
 * The prompter OpenSSH users expect: the terminal, or SSH_ASKPASS when SSH_ASKPASS_REQUIRE says so
 * (or there is no terminal and DISPLAY is set); BatchMode never asks.
 */
export function ttyPrompter(opts: { env: NodeJS.ProcessEnv; batchMode: boolean; stderr: NodeJS.WritableStream }): UserPrompter {
  const { env } = opts;
  const program = env.SSH_ASKPASS;
  const require = env.SSH_ASKPASS_REQUIRE;
  const useAskpass = (): boolean =>
    program !== undefined && program !== '' && (require === 'force' || require === 'prefer' || (env.DISPLAY !== undefined && !hasTty()));
  const ask = async (prompt: string, echo: boolean, confirm: boolean): Promise<string | undefined> => {
    if (opts.batchMode) return undefined;
    if (useAskpass() && program) return askpass(program, prompt, confirm, env);
    if (require === 'force') return undefined;
    return readTty(prompt, echo);
  };
  return {
    secret: (prompt) => ask(prompt, false, false),
    confirm: (question) => ask(question, true, true),
    banner: (text) => {
      opts.stderr.write(text);
    },
    info: (line) => {
      opts.stderr.write(sshLogLines(line));
    },
  };
}

/** Whether this process has a controlling terminal to prompt on. */
function hasTty(): boolean {
  try {
    closeSync(openSync('/dev/tty', 'r'));
    return true;
  } catch {
    return false;
  }
}
