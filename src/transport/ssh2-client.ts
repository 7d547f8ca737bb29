// ssh2's client half, loaded without ssh2's index, which also loads its server, key generator and HTTP agents (and
// with them tls and https): a connection starts faster and uses less memory. Types stay those of the package.
import { createRequire } from 'node:module';
import type ssh2 from 'ssh2';

const load = createRequire(import.meta.url);

/** ssh2's Client class (ssh2/lib/client.js is what the index exports as Client). */
export const Client: typeof ssh2.Client = load('ssh2/lib/client.js') as typeof ssh2.Client;

/** ssh2's key parser (what the index exports as utils.parseKey). */
export const parseKey: typeof ssh2.utils.parseKey = (load('ssh2/lib/protocol/keyParser.js') as { parseKey: typeof ssh2.utils.parseKey }).parseKey;

const agent = load('ssh2/lib/agent.js') as Pick<typeof ssh2, 'BaseAgent' | 'createAgent'>;
/** ssh2's agent base class and the factory for the system agent (OpenSSH's socket). */
export const { BaseAgent, createAgent } = agent;
