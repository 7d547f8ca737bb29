// The diagnosis layer's public API: evidence in, cause + confidence + evidence lines + advice out. Pure.
export type { Cause } from './cause.js';
export { CAUSES, isCause } from './cause.js';
export type {
  AlgorithmMismatch,
  AttemptEvidence,
  AttemptResult,
  ClientEvidence,
  DriftEvidence,
  Evidence,
  InterfaceChange,
  OutageTiming,
  ServerEvidence,
  TargetEvidence,
  TriggerEvidence,
} from './evidence.js';
export type { Diagnosis } from './classify.js';
export { classify, confidenceLabel } from './classify.js';
export type { AdviceContext } from './advice.js';
export { adviceFor, suggestedServerAliveSec } from './advice.js';
export { attemptResultFrom, attemptResultOf, triggerOf } from './from-error.js';
export { formatDuration } from './format.js';
