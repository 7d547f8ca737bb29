// remote/'s public face: what cli/ wires in (the tmux command, reattach, evidence, `tether sessions`).
export type { ExecResult, RemoteExec } from './exec.js';
export { shScriptCommand } from './exec.js';
export { shJoin, shQuote } from './shell-quote.js';
export type { TmuxSocket, TmuxVersion } from './tmux-invocation.js';
export { exactPaneTarget, exactSessionTarget, parseTmuxVersion, tmuxArgv, tmuxAtLeast, tmuxQueryArgv } from './tmux-invocation.js';
export {
  SESSION_PREFIX,
  defaultSessionName,
  generateLocalId,
  hasTetherPrefix,
  resolveSessionName,
  validateSessionName,
} from './session-name.js';
export type { InteractiveCommand, InteractiveOptions, RestoreMode } from './tmux-command.js';
export { NO_TMUX_NOTICE, TETHER_OPTION, buildInteractiveCommand } from './tmux-command.js';
export type { FastEvidenceOptions, SlowEvidenceOptions } from './evidence-script.js';
export { fastEvidenceCommand, fastEvidenceScript, slowEvidenceCommand, slowEvidenceScript } from './evidence-script.js';
export type { OomLine, PidFact, ServerFacts, TmuxFacts } from './evidence-parse.js';
export { emptyServerFacts, mergeServerFacts, oomEpoch, parseServerFacts } from './evidence-parse.js';
export type { SessionRecord } from './session-facts.js';
export {
  FAST_EVIDENCE_TIMEOUT_MS,
  SLOW_EVIDENCE_TIMEOUT_MS,
  collectFastFacts,
  collectSlowFacts,
  pidsToCheck,
  recordFromFacts,
} from './session-facts.js';
export type { ServerChanges } from './server-changes.js';
export { compareServerFacts } from './server-changes.js';
export type { NewSessionReason, ReattachDecision, ReattachInput } from './reattach.js';
export { decideReattach, hasSessionCommand, sessionExistsFromExec } from './reattach.js';
export type { RemoteSession } from './sessions-list.js';
export { formatSessionTable, listSessionsCommand, parseSessionList } from './sessions-list.js';
export type { SessionsIo, SessionsOptions, SessionsRequest } from './sessions.js';
export { listTetherSessions, parseSessionsArgs, runSessionsCommand } from './sessions.js';
