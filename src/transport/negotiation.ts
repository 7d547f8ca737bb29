// Turns ssh2's "Handshake failed: no matching ..." into ssh's "Unable to negotiate ... Their offer: ...", keeping both
// sides' lists (read from ssh2's debug lines, the only place it states them).
import { TetherError } from '../common/errors.js';

/** The cause attached to a 'protocol' error: which class failed and both offers. */
export class NegotiationFailure extends Error {
  override readonly name = 'NegotiationFailure';
  constructor(
    /** `kex`, `hostkey`, `cipher`, `mac` or `compression`. */
    readonly algorithm: string,
    /** What tether offered. */
    readonly ours: readonly string[],
    /** What the server offered. */
    readonly theirs: readonly string[],
    options: { cause?: unknown },
  ) {
    super(`no common ${algorithm}: ours ${ours.join(',')}; theirs ${theirs.join(',')}`, options);
  }
}

interface Kind {
  readonly algorithm: string;
  /** The label in ssh2's debug lines. */
  readonly label: string;
  /** ssh's ssh_err() text. */
  readonly text: string;
}

const KINDS: readonly (readonly [RegExp, Kind])[] = [
  [/no matching key exchange/, { algorithm: 'kex', label: 'KEX method', text: 'no matching key exchange method found' }],
  [/no matching host key/, { algorithm: 'hostkey', label: 'Host key format', text: 'no matching host key type found' }],
  [/no matching C->S cipher/, { algorithm: 'cipher', label: 'C->S cipher', text: 'no matching cipher found' }],
  [/no matching S->C cipher/, { algorithm: 'cipher', label: 'S->C cipher', text: 'no matching cipher found' }],
  [/no matching C->S MAC/, { algorithm: 'mac', label: 'C->S MAC', text: 'no matching MAC found' }],
  [/no matching S->C MAC/, { algorithm: 'mac', label: 'S->C MAC', text: 'no matching MAC found' }],
  [/no matching C->S compression/, { algorithm: 'compression', label: 'C->S compression', text: 'no matching compression method found' }],
  [/no matching S->C compression/, { algorithm: 'compression', label: 'S->C compression', text: 'no matching compression method found' }],
];

/** Pseudo-algorithms ssh2 appends to its KEX offer; not something a user configured. */
const MARKERS = new Set(['ext-info-c', 'kex-strict-c-v00@openssh.com']);

/** Collects ssh2's handshake debug lines for one connection. */
export class NegotiationLog {
  /** `(local|remote) label` → list, from the latest handshake. */
  private readonly lists = new Map<string, string[]>();

  /** Feed every ssh2 debug line here. */
  readonly feed = (line: string): void => {
    const m = /^Handshake: \((local|remote)\) (.+?): (.*)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined) {
      this.lists.set(`${m[1]} ${m[2]}`, m[3] === '' ? [] : m[3].split(','));
    }
  };

  /** The 'protocol' TetherError for an ssh2 handshake error, or undefined if it is not a negotiation failure. */
  failure(err: Error, remoteIp: string, port: number): TetherError | undefined {
    const hit = KINDS.find(([re]) => re.test(err.message));
    if (!hit) return undefined;
    const kind = hit[1];
    const ours = (this.lists.get(`local ${kind.label}`) ?? []).filter((a) => !MARKERS.has(a));
    const theirs = this.lists.get(`remote ${kind.label}`) ?? [];
    const cause = new NegotiationFailure(kind.algorithm, ours, theirs, { cause: err });
    return new TetherError(
      'protocol',
      `Unable to negotiate with ${remoteIp} port ${port}: ${kind.text}. Their offer: ${theirs.join(',')}`,
      { cause },
    );
  }
}
