// The classifier: evidence in, cause + confidence + the facts relied on + advice out. No I/O.
//
// Confidence is a number in 0..1 (two decimals). Read it as: >= 0.8 high (the distinguishing
// facts were seen and corroborated), >= 0.5 medium (the distinguishing facts, little
// corroboration), below low (a best guess from the client side alone). `confidenceLabel`
// gives those words. Facts that settle a cause alone (a changed host key, auth or handshake
// failure on reconnect, a new boot_id, a suspend) are decisive, in that order; the other
// causes share symptoms, so each rule needs its distinguishing facts to apply at all and
// the highest confidence wins.
import type { Cause } from './cause.js';
import type { Candidate } from './candidate.js';
import { adviceFor } from './advice.js';
import type { Evidence } from './evidence.js';
import { countAttempts, hostAnswered, idleBoundMs, interfaceTexts, longSilence, silence, spanOf, triggerText } from './facts.js';
import { formatDuration } from './format.js';
import { authRule, hostKeyChangedRule, protocolHandshakeRule, rebootRule, suspendRule } from './rules-decisive.js';
import {
  firewallRule,
  idleTimeoutRule,
  networkRule,
  refusedBeforeBannerRule,
  serverRestartRule,
  sessionKilledRule,
} from './rules-scored.js';

/** Why the link broke, how sure, on which facts, and what to do. */
export interface Diagnosis {
  cause: Cause;
  /** 0..1; see confidenceLabel. */
  confidence: number;
  /** Human facts the cause rests on, e.g. "boot_id changed (3f2a… → 9c1e…)". */
  evidence: string[];
  advice: string[];
  /** Other causes that also fit, with lower confidence (for `~s` and the history detail). */
  alternatives: { cause: Cause; confidence: number }[];
  /** For idle-timeout: the silence that killed the link, the bound recovery learns from. */
  idleLimitMs?: number;
}

/** Decisive rules, in order of what the user must act on first. */
const DECISIVE: readonly ((e: Evidence) => Candidate | null)[] = [
  hostKeyChangedRule,
  authRule,
  protocolHandshakeRule,
  rebootRule,
  suspendRule,
];

/** Rules for causes with shared symptoms; order breaks ties. */
const SCORED: readonly ((e: Evidence) => Candidate | null)[] = [
  serverRestartRule,
  sessionKilledRule,
  refusedBeforeBannerRule,
  firewallRule,
  networkRule,
  idleTimeoutRule,
];

/** Every raw fact there is, for a diagnosis that names no cause. */
function rawEvidence(e: Evidence): string[] {
  const out = [triggerText(e)];
  const s = silence(e);
  if (s.value !== undefined) out.push(s.text);
  const c = countAttempts(e);
  const parts = Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${r} ×${n}`);
  if (parts.length > 0) {
    const span = formatDuration(spanOf(e.client.attempts, ['refused', 'timeout', 'reset', 'unreachable', 'ok']));
    out.push(`reconnect attempts over ${span}: ${parts.join(', ')}`);
  }
  const ha = hostAnswered(e);
  if (ha.text !== '') out.push(ha.text);
  out.push(...interfaceTexts(e));
  if (e.client.lastPingRttMs !== undefined) out.push(`last ping RTT ${formatDuration(e.client.lastPingRttMs)}`);
  if (e.server === undefined) out.push('no server-side facts (no connection was made)');
  const missing = [
    e.server === undefined ? 'whether the server rebooted, restarted sshd or lost our session' : '',
    e.client.icmpReachable === undefined ? 'whether the host answered ping during the outage' : '',
    e.server !== undefined && e.server.sshdSessionAlive === undefined ? "whether the old connection's sshd process survived" : '',
  ].filter((m) => m !== '');
  if (missing.length > 0) out.push(`not known: ${missing.join('; ')}`);
  return out;
}

/** Read a confidence as a word. */
export function confidenceLabel(confidence: number): 'high' | 'medium' | 'low' {
  if (confidence >= 0.8) return 'high';
  if (confidence >= 0.5) return 'medium';
  return 'low';
}

/** Classify one outage from its evidence. Pure: same evidence, same diagnosis. */
export function classify(e: Evidence): Diagnosis {
  let chosen: Candidate | undefined;
  for (const rule of DECISIVE) {
    const c = rule(e);
    if (c !== null) {
      chosen = c;
      break;
    }
  }
  const scored = SCORED.map((r) => r(e)).filter((c): c is Candidate => c !== null);
  const ranked = [...scored].sort((a, b) => b.confidence - a.confidence);
  chosen ??= ranked[0] ?? { cause: 'unknown', confidence: 0.2, evidence: rawEvidence(e) };
  const alternatives = ranked
    .filter((c) => c.cause !== chosen.cause && c.confidence >= 0.3)
    .map((c) => ({ cause: c.cause, confidence: c.confidence }));
  const evidence = [...chosen.evidence];
  const trig = triggerText(e);
  if (!evidence.includes(trig) && !evidence.some((l) => l.startsWith(trig))) evidence.push(trig);
  const idleLimitMs = chosen.cause === 'idle-timeout' && longSilence(e) ? idleBoundMs(e) : undefined;
  // ../shared/design.md: after an idle-timeout reset, recovery persists 0.5 × the bound (never below its 5 s floor).
  const keepaliveMs = idleLimitMs === undefined ? e.client.keepaliveMs : Math.max(5000, Math.floor(idleLimitMs / 2));
  const advice = adviceFor(chosen.cause, {
    host: e.target.host,
    hostname: e.target.hostname,
    port: e.target.port,
    keepaliveMs,
    idleLimitMs,
    algorithmMismatch: e.client.algorithmMismatch,
  });
  const d: Diagnosis = { cause: chosen.cause, confidence: chosen.confidence, evidence, advice, alternatives };
  if (idleLimitMs !== undefined) d.idleLimitMs = idleLimitMs;
  return d;
}
