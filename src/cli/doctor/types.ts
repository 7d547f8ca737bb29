// What each step of `tether doctor` found (plain data), and the findings made from them.
import type { ErrorKind } from '../../common/errors.js';
import type { AlgorithmMismatch } from '../../diagnosis/evidence.js';
import type { ServerFacts } from '../../remote/evidence-parse.js';
import type { IdleResult } from '../../heal/idle-probe.js';
import type { ProbeOutcome } from '../../transport/probe.js';

/** How one progress line is marked: ✓ ✗ ! or a neutral dot. */
export type Mark = 'ok' | 'fail' | 'warn' | 'info';

/** One progress line, printed as the step finishes. */
export interface StepLine {
  readonly step: string;
  readonly mark: Mark;
  readonly text: string;
}

/** The destination as doctor names it. */
export interface DoctorTarget {
  /** The alias as typed (for `Host <alias>`). */
  readonly alias: string;
  readonly hostname: string;
  readonly port: number;
  readonly user: string;
}

/** `ping -c 3 -W 1`: whether the host answers ICMP, or why it was not checked. */
export interface IcmpResult {
  readonly status: 'answered' | 'no-answer' | 'not-checked';
  readonly sent?: number;
  readonly received?: number;
  readonly avgMs?: number;
  /** Why not checked (no ping binary, unknown host, not permitted). */
  readonly why?: string;
}

/** TCP connects to the port: RTT samples and what the failures were. */
export interface TcpResult {
  /** Outcome of every sample, in order. */
  readonly outcomes: readonly ProbeOutcome[];
  /** TCP connect times of the samples that connected. */
  readonly rttMs: readonly number[];
  /** The errno of the first failure. */
  readonly errno?: string;
  /** The server's identification line, from the first sample that got one. */
  readonly banner?: string;
  readonly bannerMs?: number;
}

/** The SSH login: how far it got, which methods the server offered, which one worked. */
export interface LoginResult {
  readonly ok: boolean;
  readonly errorKind?: ErrorKind;
  readonly message?: string;
  /** Methods the server listed (USERAUTH_FAILURE), empty when it never said. */
  readonly offered: readonly string[];
  /** The method that was accepted. */
  readonly method?: string;
  readonly remoteIdent?: string;
  readonly hostKeyType?: string;
  /** Both sides' lists when negotiation failed. */
  readonly mismatch?: AlgorithmMismatch;
  readonly handshakeMs?: number;
  /** The negotiated key exchange, cipher and MAC, when login worked. */
  readonly algorithms?: readonly string[];
}

/** ClientAlive settings of the server's sshd, where they could be read. */
export interface ClientAlive {
  readonly source: 'sshd -T' | 'sshd_config' | 'unknown';
  readonly interval?: number;
  readonly countMax?: number;
  /** Why the settings are not known, when they are not. */
  readonly why?: string;
}

/** What doctor read over a session on the server. */
export interface ServerResult {
  readonly facts: ServerFacts;
  readonly clientAlive: ClientAlive;
  readonly nproc?: number;
}

/** The outcome of `--idle-probe` (measured by heal/idle-probe.ts, shared with the healing session). */
export type { IdleResult };

/** Everything doctor found, step by step (absent steps did not run). */
export interface DoctorReport {
  readonly target: DoctorTarget;
  readonly icmp: IcmpResult;
  readonly tcp: TcpResult;
  readonly login?: LoginResult;
  readonly server?: ServerResult;
  readonly idle?: IdleResult;
  /** The ServerAliveInterval the user's ssh config already sets (0 = off). */
  readonly serverAliveInterval: number;
}

/** Lines to add to one file. */
export interface ConfigLines {
  readonly file: string;
  readonly lines: readonly string[];
}

/** One conclusion: what is wrong (or fine), the facts behind it, what to do. */
export interface Finding {
  readonly id: string;
  readonly severity: 'error' | 'warn' | 'info';
  readonly title: string;
  readonly evidence: readonly string[];
  readonly advice: readonly string[];
  readonly config?: readonly ConfigLines[];
}
