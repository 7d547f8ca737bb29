// Authentication in OpenSSH's order and with its limits: PreferredAuthentications among the methods the server lists,
// public keys (agent, then IdentityFiles), keyboard-interactive and password prompted through the Prompter,
// NumberOfPasswordPrompts, BatchMode (never ask), and ssh's "Permission denied (...)" when everything failed.
import type { AnyAuthMethod, AuthHandlerMiddleware, AuthenticationType, KeyboardInteractiveCallback, Prompt } from 'ssh2';
import { TetherError } from '../common/errors.js';
import type { EffectiveConfig } from '../config/types.js';
import type { Prompter } from './prompter.js';
import type { CredentialCache } from './credential-cache.js';
import { KeychainAgent } from './keychain-agent.js';

const DEFAULT_ORDER = ['gssapi-with-mic', 'hostbased', 'publickey', 'keyboard-interactive', 'password'];

/** The handler given to ssh2 plus what it learned, for the error when all methods fail. */
export interface Authenticator {
  readonly handler: AuthHandlerMiddleware;
  /** The methods the server listed in its last USERAUTH_FAILURE. */
  serverMethods(): readonly string[];
  /** ssh's `user@host: Permission denied (methods).` */
  failure(cause?: unknown): TetherError;
  /** Tells the authenticator the server accepted us (a password that worked may be remembered). */
  succeeded(): void;
}

/** Builds the authenticator for one connection; `unsafe()` turns off password methods after a bad host key. */
export function makeAuthenticator(
  config: EffectiveConfig,
  prompter: Prompter,
  unsafe: () => boolean,
  cache?: CredentialCache,
): Authenticator {
  const user = config.user;
  const host = config.hostname;
  const account = `${user}@${host}:${config.port}`;
  /** The password of the latest password attempt, remembered if it turns out to have worked. */
  let lastPassword: string | undefined;
  /** Whether the remembered password was tried already in this connection. */
  let rememberedTried = false;
  const asker = config.batchMode ? undefined : prompter;
  const keychain = new KeychainAgent({
    ...(config.identityAgent ? { agentPath: config.identityAgent } : {}),
    identityFiles: config.pubkeyAuthentication ? config.identityFiles : [],
    identitiesOnly: config.identitiesOnly,
    policy: { prompter, batchMode: config.batchMode, attempts: config.numberOfPasswordPrompts, ...(cache ? { cache } : {}) },
  });
  const order = config.preferredAuthentications.length > 0 ? config.preferredAuthentications : DEFAULT_ORDER;
  let methods: string[] = [];
  let pubkeyTried = false;
  let kbdTries = 0;
  let passwordTries = 0;
  const maxPrompts = Math.max(0, config.numberOfPasswordPrompts);

  const kbdPrompt = (name: string, instructions: string, _lang: string, prompts: Prompt[], finish: KeyboardInteractiveCallback) => {
    void (async () => {
      if (!asker) return finish(prompts.map(() => ''));
      if (name) asker.info(name);
      if (instructions) asker.info(instructions);
      const answers: string[] = [];
      for (const p of prompts) {
        const question = `(${user}@${config.hostKeyAlias ?? host}) ${p.prompt}`;
        const answer = p.echo ? await asker.confirm(question) : await asker.secret(question);
        if (answer === undefined) kbdTries = maxPrompts; // ^D / ^C: stop asking
        answers.push(answer ?? '');
      }
      finish(answers);
    })();
  };

  /** The next attempt in preference order among what the server still allows; false when none is left. */
  const nextAttempt = async (): Promise<AnyAuthMethod | false> => {
    for (const method of order) {
      if (!methods.includes(method)) continue;
      if (method === 'publickey' && config.pubkeyAuthentication && !pubkeyTried) {
        pubkeyTried = true;
        if ((await keychain.count()) > 0) return { type: 'agent', username: user, agent: keychain };
      }
      const passwordsAllowed = asker !== undefined && !unsafe();
      if (method === 'keyboard-interactive' && config.kbdInteractiveAuthentication && passwordsAllowed && kbdTries < maxPrompts) {
        kbdTries++;
        return { type: 'keyboard-interactive', username: user, prompt: kbdPrompt };
      }
      if (method === 'password' && config.passwordAuthentication && !unsafe()) {
        const remembered = cache?.password(account);
        if (remembered !== undefined && !rememberedTried) {
          rememberedTried = true;
          lastPassword = remembered;
          return { type: 'password', username: user, password: remembered };
        }
        if (remembered !== undefined) cache?.forgetPassword(account);
      }
      if (method === 'password' && config.passwordAuthentication && passwordsAllowed) {
        while (passwordTries < maxPrompts) {
          passwordTries++;
          const password = await asker.secret(`${user}@${host}'s password: `);
          if (password === undefined) {
            passwordTries = maxPrompts;
            break;
          }
          lastPassword = password;
          return { type: 'password', username: user, password };
        }
      }
    }
    return false;
  };

  const handler: AuthHandlerMiddleware = (methodsLeft: AuthenticationType[] | null, _partial, next) => {
    if (methodsLeft === null) return next({ type: 'none', username: user });
    methods = [...methodsLeft];
    lastPassword = undefined;
    nextAttempt().then(
      (attempt) => next(attempt as AnyAuthMethod),
      () => next(false as unknown as AnyAuthMethod),
    );
  };

  return {
    handler,
    serverMethods: () => methods,
    succeeded: () => {
      if (lastPassword !== undefined) cache?.rememberPassword(account, lastPassword);
    },
    failure: (cause?: unknown) =>
      new TetherError('auth', `${user}@${host}: Permission denied (${methods.join(',')}).`, cause === undefined ? {} : { cause }),
  };
}
