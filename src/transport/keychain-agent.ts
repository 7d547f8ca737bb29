// All public-key identities in OpenSSH's order behind one ssh2 agent: agent keys (those matching an IdentityFile
// preferred; others dropped under IdentitiesOnly), then the remaining IdentityFiles. Signing through an agent lets a
// file's passphrase be asked only once the server has accepted its public key, exactly when ssh asks it.
import type { BaseAgent as Agent, IdentityCallback, ParsedKey, SignCallback, SigningRequestOptions } from 'ssh2';
import type { IdentityFile, PassphrasePolicy } from './identity-file.js';
import { loadIdentityFile } from './identity-file.js';
import { BaseAgent, createAgent, parseKey } from './ssh2-client.js';

/** Where public-key identities come from. */
export interface KeychainSources {
  /** The agent socket (IdentityAgent / SSH_AUTH_SOCK); undefined = no agent. */
  readonly agentPath?: string;
  readonly identityFiles: readonly string[];
  readonly identitiesOnly: boolean;
  readonly policy: PassphrasePolicy;
}

type Identity = { readonly key: ParsedKey; readonly file?: IdentityFile; readonly viaAgent: boolean };

function sameKey(a: ParsedKey, b: ParsedKey): boolean {
  return a.getPublicSSH().equals(b.getPublicSSH());
}

function agentKeys(agent: Agent): Promise<ParsedKey[]> {
  return new Promise((resolve) => {
    agent.getIdentities((err, keys) => {
      if (err || !keys) return resolve([]);
      const parsed: ParsedKey[] = [];
      for (const k of keys) {
        const key = parseKey(k as ParsedKey);
        if (!(key instanceof Error) && !Array.isArray(key)) parsed.push(key);
      }
      resolve(parsed);
    });
  });
}

/** The agent handed to ssh2's 'agent' authentication method. */
export class KeychainAgent extends BaseAgent<ParsedKey> {
  /** The real agent, when configured. */
  private readonly agent: Agent | undefined;
  /** The identities, computed once on first use. */
  private identities: Promise<Identity[]> | undefined;

  constructor(private readonly sources: KeychainSources) {
    super();
    this.agent = sources.agentPath ? createAgent(sources.agentPath) : undefined;
  }

  /** How many identities will be offered (loads them). */
  async count(): Promise<number> {
    return (await this.list()).length;
  }

  private list(): Promise<Identity[]> {
    this.identities ??= this.build();
    return this.identities;
  }

  private async build(): Promise<Identity[]> {
    const files: IdentityFile[] = [];
    for (const path of this.sources.identityFiles) {
      const file = await loadIdentityFile(path, this.sources.policy);
      if (file && !files.some((f) => sameKey(f.publicKey, file.publicKey))) files.push(file);
    }
    const out: Identity[] = [];
    for (const key of this.agent ? await agentKeys(this.agent) : []) {
      const i = files.findIndex((f) => sameKey(f.publicKey, key));
      if (i >= 0) out.push({ key, file: files.splice(i, 1)[0], viaAgent: true });
      else if (!this.sources.identitiesOnly) out.push({ key, viaAgent: true });
    }
    for (const file of files) out.push({ key: file.publicKey, file, viaAgent: false });
    return out;
  }

  override getIdentities(cb: IdentityCallback<ParsedKey>): void {
    this.list().then(
      (ids) => cb(undefined, ids.map((i) => i.key)),
      (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
    );
  }

  override sign(pubKey: ParsedKey, data: Buffer, options: SigningRequestOptions | SignCallback, cb?: SignCallback): void {
    const opts = typeof options === 'function' ? {} : options;
    const done = typeof options === 'function' ? options : cb;
    if (!done) return;
    void this.list().then(async (ids) => {
      const id = ids.find((i) => sameKey(i.key, pubKey));
      if (!id) return done(new Error('key not offered by tether'));
      if (id.viaAgent && this.agent) return this.agent.sign(pubKey, data, opts, done);
      const key = await id.file?.loadPrivate();
      if (!key) return done(new Error(`no private key for ${id.file?.path ?? 'key'}`));
      const signature = key.sign(data, opts.hash);
      if (signature instanceof Error) return done(signature);
      done(undefined, signature);
    });
  }
}
