// `tether history`: parse, read the log, filter, and show it as JSON, a table, plain text or a browser.
import { TetherError } from '../common/errors.js';
import type { HistoryArgs } from './args.js';
import { HISTORY_USAGE, parseHistoryArgs, sinceCutoff } from './args.js';
import { readResets } from './log.js';
import type { HistoryHostStates } from './query.js';
import { filterResets, summarize } from './query.js';
import type { TuiStreams } from './view-tui.js';
import { runHistoryTui } from './view-tui.js';
import { renderJson, renderSummary, renderTable } from './view-text.js';

/** Exit status for a bad command line (as OpenSSH's getopt errors do not apply here). */
export const EXIT_USAGE = 2;

/** What the command needs from the outside; the cli passes the real ones, tests fakes. */
export interface HistoryIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** stdout is a terminal: a coloured, fitted table; otherwise plain aligned text. */
  isTTY: boolean;
  /** Current time, epoch ms (a number, or a clock function). */
  now: number | (() => number);
  /** Learned per-host state for the summary (config's per-host store; see HistoryHostStates). */
  hostState?: HistoryHostStates;
  /** The log file (resetsPath of tether's state directory). */
  file: string;
  /** Terminal width for the table; default 100. */
  columns?: number;
  /** Streams for --tui; default process.stdin / process.stdout. */
  tui?: TuiStreams;
}

/** Runs `tether history ARGS`; returns the exit status (0 ok, 2 usage, 1 unreadable log). */
export async function runHistoryCommand(args: string[], io: HistoryIo): Promise<number> {
  let parsed: HistoryArgs;
  try {
    parsed = parseHistoryArgs(args);
  } catch (err) {
    if (err instanceof TetherError && err.kind === 'usage') {
      io.stderr.write(`tether: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  if (parsed.help) {
    io.stdout.write(`${HISTORY_USAGE}\n`);
    return 0;
  }
  if (parsed.tui && !io.isTTY && io.tui === undefined) {
    io.stderr.write('tether: history: --tui needs a terminal (use --json or plain output when piped)\n');
    return EXIT_USAGE;
  }
  const now = typeof io.now === 'function' ? io.now() : io.now;
  const file = io.file;
  let all;
  try {
    all = await readResets(file, (w) => io.stderr.write(`${w}\n`));
  } catch (err) {
    io.stderr.write(`tether: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const records = filterResets(all, {
    host: parsed.host,
    cause: parsed.cause,
    since: parsed.since === undefined ? undefined : sinceCutoff(parsed.since, now),
  });
  if (parsed.json) {
    io.stdout.write(renderJson(records));
    return 0;
  }
  const summaries = summarize(records, io.hostState);
  if (parsed.tui) {
    await runHistoryTui(records, summaries, io.tui ?? { input: process.stdin, output: process.stdout });
    return 0;
  }
  if (records.length === 0) {
    io.stdout.write(all.length === 0 ? `no resets recorded (${file})\n` : 'no resets match\n');
    return 0;
  }
  const style = io.isTTY ? { color: true, width: io.columns ?? 100 } : { color: false };
  io.stdout.write(`${renderTable(records, style)}\n${renderSummary(summaries, style)}`);
  return 0;
}
