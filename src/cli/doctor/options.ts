// `tether doctor`'s own options, split from the ssh options and validated once.
import { TetherError } from '../../common/errors.js';
import { splitOwnOptions } from '../remote-target.js';

/** What doctor was asked to do, beyond the ssh options. */
export interface DoctorOptions {
  /** ssh options and the destination, for resolveTarget. */
  readonly ssh: string[];
  readonly idleProbe: boolean;
  readonly json: boolean;
  /** Longest idle wait of --idle-probe. */
  readonly maxWaitMs: number;
  /** Total time --idle-probe may take. */
  readonly maxTimeMs: number;
}

/** Default longest wait: above the common 300 s firewall and 350 s AWS NLB limits. */
export const DEFAULT_MAX_WAIT_SEC = 400;
/** Default total time of --idle-probe. */
export const DEFAULT_MAX_TIME_SEC = 720;

const OWN = new Map<string, boolean>([
  ['--idle-probe', false],
  ['--json', false],
  ['--max-wait', true],
  ['--max-time', true],
]);

function seconds(name: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new TetherError('usage', `tether doctor: ${name} wants a positive number of seconds, got ${JSON.stringify(value ?? '')}`);
  }
  return n;
}

/** Parses doctor's argv; throws a 'usage' TetherError on a bad value. */
export function parseDoctorOptions(argv: readonly string[]): DoctorOptions {
  const { ssh, mine } = splitOwnOptions(argv, OWN);
  let idleProbe = false;
  let json = false;
  let maxWait = DEFAULT_MAX_WAIT_SEC;
  let maxTime: number | undefined;
  for (let i = 0; i < mine.length; i++) {
    const a = mine[i] ?? '';
    const [name = a, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (name === '--idle-probe') idleProbe = true;
    else if (name === '--json') json = true;
    else if (name === '--max-wait') maxWait = seconds(name, inline ?? mine[++i]);
    else if (name === '--max-time') maxTime = seconds(name, inline ?? mine[++i]);
  }
  // The budget must leave room for at least one round at the longest wait.
  const maxTimeSec = maxTime ?? Math.max(DEFAULT_MAX_TIME_SEC, maxWait + 60);
  return { ssh, idleProbe, json, maxWaitMs: Math.round(maxWait * 1000), maxTimeMs: Math.round(maxTimeSec * 1000) };
}
