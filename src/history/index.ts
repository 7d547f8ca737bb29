// The history layer's public API: the reset log on disk, its queries, and `tether history`.
export type { Outcome, ResetFacts, ResetRecord, ResetUpdate } from './record.js';
export { buildResetRecord, OUTCOMES, RECORD_VERSION } from './record.js';
export type { Warn } from './log.js';
export { appendReset, appendUpdate, newResetId, readResets, resetsPath, RESETS_FILE } from './log.js';
export type { HistoryArgs, Since } from './args.js';
export { HISTORY_USAGE, parseHistoryArgs } from './args.js';
export type { HistoryFilter, HistoryHostState, HistoryHostStates, HostSummary } from './query.js';
export { filterResets, summarize } from './query.js';
export type { HistoryIo } from './command.js';
export { EXIT_USAGE, runHistoryCommand } from './command.js';
