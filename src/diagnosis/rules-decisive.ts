// Rules whose facts settle the cause on their own: a changed key, auth, protocol, a reboot, a suspend.
import type { Candidate } from './candidate.js';
import { CandidateBuilder } from './candidate.js';
import type { Evidence } from './evidence.js';
import {
  bootChanged,
  bootedDuringOutage,
  countAttempts,
  drift,
  IDLE_MIN_MS,
  sessionAlive,
  silence,
  SUSPEND_MIN_MS,
  tmuxAlive,
  triggerText,
} from './facts.js';
import { plural } from './format.js';

/** The server's host key differs from the pinned one: reconnection stops, whatever else happened. */
export function hostKeyChangedRule(e: Evidence): Candidate | null {
  const n = countAttempts(e)['host-key-changed'];
  if (n === 0) return null;
  const boot = bootChanged(e);
  return new CandidateBuilder('host-key-changed', 0.97)
    .fact(`the server's host key differs from the one pinned at first connect (${plural(n, 'attempt')})`)
    .fact(triggerText(e))
    .fact(boot.value === true ? boot.text : '')
    .build();
}

/** Authentication fails on reconnect (and did not later succeed). */
export function authRule(e: Evidence): Candidate | null {
  const last = e.client.attempts[e.client.attempts.length - 1];
  if (last?.result !== 'auth') return null;
  const n = countAttempts(e).auth;
  return new CandidateBuilder('auth', 0.95)
    .fact(`authentication failed on reconnect (${plural(n, 'attempt')})`)
    .fact(triggerText(e))
    .build();
}

/** The handshake fails on every reconnect: no common algorithm, or a packet the peer rejects. */
export function protocolHandshakeRule(e: Evidence): Candidate | null {
  const last = e.client.attempts[e.client.attempts.length - 1];
  if (last?.result !== 'protocol') return null;
  const mm = e.client.algorithmMismatch;
  const b = new CandidateBuilder('protocol', 0.9).fact(
    `the SSH handshake failed on reconnect (${plural(countAttempts(e).protocol, 'attempt')})`,
  );
  if (mm !== undefined) b.weigh(true, 0.07, mismatchText(e));
  return b.fact(triggerText(e)).build();
}

/** Both sides' algorithm lists, named, for evidence. */
export function mismatchText(e: Evidence): string {
  const mm = e.client.algorithmMismatch;
  if (mm === undefined) return '';
  const list = (xs: string[]): string => (xs.length === 0 ? '(none)' : xs.join(', '));
  return `no common ${mm.kind} algorithm: client offered ${list(mm.client)}; server offered ${list(mm.server)}`;
}

/** boot_id changed, or the server booted after the link was last heard. */
export function rebootRule(e: Evidence): Candidate | null {
  const boot = bootChanged(e);
  const up = bootedDuringOutage(e);
  let b: CandidateBuilder;
  if (boot.value === true) {
    b = new CandidateBuilder('reboot', 0.93).fact(boot.text);
    b.weigh(up.value === true, 0.03, up.text);
  } else if (boot.value === undefined && up.value === true) {
    b = new CandidateBuilder('reboot', 0.78).fact(up.text);
  } else {
    return null;
  }
  const tmux = tmuxAlive(e);
  const sess = sessionAlive(e);
  b.weigh(tmux.value === false, 0.05, tmux.text);
  b.weigh(tmux.value === undefined && sess.value === false, 0.03, sess.text);
  b.weigh(tmux.value === true, -0.3, tmux.text);
  return b.fact(triggerText(e)).build();
}

/** This machine slept or the process was frozen across the failure. */
export function suspendRule(e: Evidence): Candidate | null {
  const d = drift(e);
  if (d.value === undefined || d.value < SUSPEND_MIN_MS) {
    if (e.client.trigger.code !== 'suspend') return null;
    return new CandidateBuilder('client-suspend', 0.6).fact('a suspend of this machine was detected (no drift amount recorded)').build();
  }
  const wallAhead = (e.client.drift?.wallAheadOfMonotonicMs ?? 0) >= SUSPEND_MIN_MS;
  const s = silence(e);
  const b = new CandidateBuilder('client-suspend', 0.72).fact(d.text);
  b.weigh(wallAhead, 0.13, '');
  b.weigh(d.value >= IDLE_MIN_MS, 0.08, '');
  b.weigh(s.value !== undefined && s.value <= d.value * 1.5 + 5000, 0.03, s.text);
  return b.fact(triggerText(e)).build();
}
