// Steps 3 and 4: a real SSH connection with the user's config: negotiation, host key, the auth methods and which worked.
import { TetherError, messageOf } from '../../common/errors.js';
import type { EffectiveConfig } from '../../config/types.js';
import type { AlgorithmMismatch } from '../../diagnosis/evidence.js';
import { connect } from '../../transport/connect.js';
import type { CredentialCache } from '../../transport/credential-cache.js';
import type { Link } from '../../transport/link.js';
import { NegotiationFailure } from '../../transport/negotiation.js';
import type { Prompter } from '../../transport/prompter.js';
import { AuthTrace, methodsFromDenied } from './auth-trace.js';
import type { LoginResult } from './types.js';

/** What login needs: the config, how to ask the user, and the hop resolver for -J. */
export interface LoginOptions {
  readonly config: EffectiveConfig;
  readonly prompter: Prompter;
  readonly resolveHop?: (spec: string) => Promise<EffectiveConfig>;
  readonly credentials?: CredentialCache;
  readonly timeoutMs?: number;
}

const MISMATCH_KIND: Record<string, AlgorithmMismatch['kind']> = {
  kex: 'kex',
  hostkey: 'hostKey',
  cipher: 'cipher',
  mac: 'mac',
  compression: 'compression',
};

/** Both sides' lists from a 'protocol' error whose cause is a NegotiationFailure. */
export function mismatchOf(err: unknown): AlgorithmMismatch | undefined {
  const cause = err instanceof Error ? err.cause : undefined;
  if (!(cause instanceof NegotiationFailure)) return undefined;
  const kind = MISMATCH_KIND[cause.algorithm];
  return kind === undefined ? undefined : { kind, client: [...cause.ours], server: [...cause.theirs] };
}

/** The negotiated algorithms as `kex, cipher, mac` words (the MAC is implicit with AEAD ciphers). */
function chosenAlgorithms(c: Record<string, string>): string[] {
  const mac = c['C->S MAC'];
  return [c['KEX algorithm'], c['C->S Cipher'], mac === undefined || mac === '<implicit>' ? undefined : mac].filter((x): x is string => x !== undefined);
}

/** Connects and logs in; the link (when it worked) is the caller's to dispose. Never rejects. */
export async function tryLogin(opts: LoginOptions): Promise<{ result: LoginResult; link?: Link }> {
  const trace = new AuthTrace();
  let ident: string | undefined;
  const chosen: Record<string, string> = {};
  const debug = (line: string): void => {
    trace.feed(line);
    const a = /^Handshake: (KEX algorithm|Host key format|C->S Cipher|C->S MAC): (\S+)$/.exec(line);
    if (a?.[1] !== undefined && a[2] !== undefined) chosen[a[1]] = a[2];
    const m = /^Remote ident: '(.*)'$/.exec(line);
    if (m?.[1] !== undefined) ident = m[1];
  };
  try {
    const link = await connect({
      config: opts.config,
      prompter: opts.prompter,
      debug,
      ...(opts.resolveHop ? { resolveHop: opts.resolveHop } : {}),
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    });
    const method = trace.succeeded();
    return {
      link,
      result: {
        ok: true,
        offered: trace.offered(),
        ...(method ? { method } : {}),
        remoteIdent: link.remoteIdent,
        hostKeyType: link.hostKey.type,
        handshakeMs: link.timing.handshakeMs,
        algorithms: chosenAlgorithms(chosen),
      },
    };
  } catch (err) {
    const kind = err instanceof TetherError ? err.kind : 'internal';
    const mismatch = mismatchOf(err);
    const offered = trace.offered();
    return {
      result: {
        ok: false,
        errorKind: kind,
        message: messageOf(err),
        offered: offered.length > 0 ? offered : methodsFromDenied(messageOf(err)),
        ...(ident ? { remoteIdent: ident } : {}),
        ...(mismatch ? { mismatch } : {}),
      },
    };
  }
}
