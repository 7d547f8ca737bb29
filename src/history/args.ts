// `tether history [host] [--since 2d|3h|30m|ISO] [--cause C] [--json] [--tui]`: argv to a typed query.
import { TetherError } from '../common/errors.js';
import type { Cause } from '../diagnosis/cause.js';
import { CAUSES, isCause } from '../diagnosis/cause.js';

/** A lower time bound: relative to now, or an absolute instant. */
export type Since = { kind: 'ago'; ms: number } | { kind: 'at'; at: number };

/** The parsed command line. */
export interface HistoryArgs {
  /** Alias or hostname to keep; undefined = all hosts. */
  host?: string;
  since?: Since;
  cause?: Cause;
  json: boolean;
  tui: boolean;
  help: boolean;
}

/** The usage text for `--help` and errors. */
export const HISTORY_USAGE =
  'usage: tether history [host] [--since 2d|3h|30m|45s|1w|ISO-date] [--cause CAUSE] [--json | --tui] | --sinks | --export';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

const usage = (msg: string): TetherError => new TetherError('usage', `history: ${msg}`);

/** `2d`, `3h`, `30m`, `45s`, `1w`, `1.5h`, or an ISO 8601 date/time. */
export function parseSince(value: string): Since {
  const rel = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(value.trim());
  if (rel !== null) {
    const ms = Number(rel[1]) * (UNIT_MS[rel[2] ?? ''] ?? NaN);
    if (Number.isFinite(ms) && ms > 0) return { kind: 'ago', ms };
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    const at = Date.parse(value.trim().replace(' ', 'T'));
    if (!Number.isNaN(at)) return { kind: 'at', at };
  }
  throw usage(
    `--since: bad value ${JSON.stringify(value)} (expected a duration like 2d, 3h, 30m or an ISO date like 2026-11-22T03:00Z)`,
  );
}

/** The epoch-ms instant a `Since` stands for at `now`. */
export function sinceCutoff(s: Since, now: number): number {
  return s.kind === 'ago' ? now - s.ms : s.at;
}

/** Parses the arguments after `history`; throws TetherError('usage') naming the option and value. */
export function parseHistoryArgs(args: readonly string[]): HistoryArgs {
  const out: HistoryArgs = { json: false, tui: false, help: false };
  let onlyPositional = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!onlyPositional && arg === '--') {
      onlyPositional = true;
      continue;
    }
    if (onlyPositional || !arg.startsWith('-') || arg === '-') {
      if (out.host !== undefined) throw usage(`one host only (got ${JSON.stringify(out.host)} and ${JSON.stringify(arg)})`);
      out.host = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = args[i + 1];
      if (next === undefined) throw usage(`${name} needs a value`);
      i++;
      return next;
    };
    const flag = (): true => {
      if (eq > 0) throw usage(`${name} takes no value (got ${JSON.stringify(arg.slice(eq + 1))})`);
      return true;
    };
    switch (name) {
      case '--since':
        out.since = parseSince(value());
        break;
      case '--cause': {
        const c = value();
        if (!isCause(c)) throw usage(`--cause: bad value ${JSON.stringify(c)} (one of ${CAUSES.join(', ')})`);
        out.cause = c;
        break;
      }
      case '--json':
        out.json = flag();
        break;
      case '--tui':
        out.tui = flag();
        break;
      case '-h':
      case '--help':
        out.help = flag();
        break;
      default:
        throw usage(`unknown option ${JSON.stringify(name)}`);
    }
  }
  if (out.json && out.tui) throw usage('--json and --tui cannot be used together');
  return out;
}
