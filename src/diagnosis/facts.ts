// Facts derived from raw evidence, each with the sentence that states it: the rules' vocabulary.
import type { AttemptEvidence, AttemptResult, Evidence } from './evidence.js';
import { formatDuration, plural, shortId } from './format.js';

/** A derived fact: its value, or undefined when the evidence does not tell, plus its sentence. */
export interface Fact<T> {
  value: T | undefined;
  text: string;
}

/** Error codes that mean the local side has no route (the path, not the server). */
const NO_ROUTE_CODES: ReadonlySet<string> = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL']);

/** Below this much drift a late timer is ordinary event-loop delay, not a suspend. */
export const SUSPEND_MIN_MS = 5000;

/** From this much silence on, a reset may be an idle timeout whatever the keep-alive. */
export const IDLE_MIN_MS = 15_000;

/** Shortest silence ever blamed on an idle timeout (tether's keep-alive floor is 5 s). */
const IDLE_FLOOR_MS = 5000;

/**
 * The link was quiet long enough for an idle timeout: at least IDLE_MIN_MS, or close to the
 * keep-alive interval (the failing packet was the ping after a quiet interval).
 */
export function longSilence(e: Evidence): boolean {
  const s = e.client.silenceMs;
  if (s === undefined) return false;
  if (s >= IDLE_MIN_MS) return true;
  const k = e.client.keepaliveMs;
  return s >= IDLE_FLOOR_MS && k !== undefined && s >= 0.8 * k;
}

/** The idle bound an idle-timeout reset shows: the silence before the failure. */
export function idleBoundMs(e: Evidence): number | undefined {
  return e.client.silenceMs;
}

const unknown = <T>(): Fact<T> => ({ value: undefined, text: '' });

/** Start of the outage: the last moment the link was known alive. */
export function outageStart(e: Evidence): number {
  return e.timing.lastHeardAt;
}

/** How long the outage lasted so far, up to the restore or the server read. */
export function outageMs(e: Evidence): number {
  const end = e.timing.restoredAt ?? e.server?.readAt ?? e.timing.detectedAt;
  return Math.max(0, end - e.timing.lastHeardAt);
}

/** boot_id before vs after: true = changed (a reboot). */
export function bootChanged(e: Evidence): Fact<boolean> {
  const s = e.server;
  if (s?.bootIdBefore === undefined || s.bootIdAfter === undefined) return unknown();
  if (s.bootIdBefore !== s.bootIdAfter) {
    return { value: true, text: `boot_id changed (${shortId(s.bootIdBefore)} → ${shortId(s.bootIdAfter)})` };
  }
  return { value: false, text: `same boot (boot_id ${shortId(s.bootIdAfter)} unchanged)` };
}

/** Uptime shorter than the time since the link was last heard: the server booted during the outage. */
export function bootedDuringOutage(e: Evidence): Fact<boolean> {
  const s = e.server;
  if (s?.uptimeSec === undefined) return unknown();
  const bootedAt = s.readAt - s.uptimeSec * 1000;
  const since = s.readAt - outageStart(e);
  if (bootedAt > outageStart(e)) {
    return {
      value: true,
      text: `server uptime ${formatDuration(s.uptimeSec * 1000)} is shorter than the outage (${formatDuration(since)})`,
    };
  }
  return { value: false, text: `server up for ${formatDuration(s.uptimeSec * 1000)}, since before the outage` };
}

/** sshd master start vs outage start: true = started after the outage began (restarted). */
export function masterNewer(e: Evidence): Fact<boolean> {
  const at = e.server?.sshdMasterStartedAt;
  if (at === undefined) {
    const replaced = e.server?.sshdMasterReplaced;
    if (replaced === undefined) return unknown();
    return replaced
      ? { value: true, text: 'the listening sshd is a different process than at connect (restarted)' }
      : { value: false, text: 'the listening sshd is the same process as at connect' };
  }
  const d = at - outageStart(e);
  if (d > 0) return { value: true, text: `sshd master started ${formatDuration(d)} after the outage began` };
  return { value: false, text: `sshd master started ${formatDuration(-d)} before the outage (unchanged)` };
}

/** The previous session's processes survived (false = killed). */
export function sessionAlive(e: Evidence): Fact<boolean> {
  const v = e.server?.previousSessionAlive;
  if (v === undefined) return unknown();
  return { value: v, text: v ? 'previous session still running' : "previous session's processes are gone" };
}

/** The previous tmux session survived (undefined when tmux is not used). */
export function tmuxAlive(e: Evidence): Fact<boolean> {
  const v = e.server?.tmuxSessionAlive;
  if (v === undefined) return unknown();
  return { value: v, text: v ? 'tmux session survived' : 'tmux session gone' };
}

/** The host itself answered (ICMP) while the port did not. */
export function hostAnswered(e: Evidence): Fact<boolean> {
  const c = e.client;
  if (c.icmpReachable === true) return { value: true, text: 'the host answered ping during the outage' };
  if (c.icmpReachable === false) return { value: false, text: 'the host did not answer ping during the outage' };
  return unknown();
}

/** Attempts by result. */
export function countAttempts(e: Evidence): Record<AttemptResult, number> {
  const counts: Record<AttemptResult, number> = {
    refused: 0,
    timeout: 0,
    reset: 0,
    unreachable: 0,
    'closed-before-banner': 0,
    protocol: 0,
    auth: 0,
    'host-key-changed': 0,
    ok: 0,
  };
  for (const a of e.client.attempts) counts[a.result]++;
  return counts;
}

/** Time from the start of the first to the end of the last attempt with one of these results. */
export function spanOf(attempts: readonly AttemptEvidence[], results: readonly AttemptResult[]): number {
  const hits = attempts.filter((a) => results.includes(a.result));
  const first = hits[0];
  const last = hits[hits.length - 1];
  if (first === undefined || last === undefined) return 0;
  return last.startedAt + last.durationMs - first.startedAt;
}

/** The first reconnect attempt succeeded: the host was reachable at once. */
export function reachableAtOnce(e: Evidence): Fact<boolean> {
  const first = firstStarted(e);
  if (first === undefined) return unknown();
  if (first.result === 'ok') {
    return { value: true, text: `reconnected at the first attempt (${formatDuration(first.durationMs)})` };
  }
  return { value: false, text: `first reconnect attempt: ${first.result}` };
}

/**
 * The attempt started first. Attempts are recorded as they end, so an attempt held up on the path (a
 * blackhole that lifts lets it through) is listed after the probes that timed out beside it.
 */
export function firstStarted(e: Evidence): AttemptEvidence | undefined {
  let first: AttemptEvidence | undefined;
  for (const a of e.client.attempts) if (first === undefined || a.startedAt < first.startedAt) first = a;
  return first;
}

/** A connect that takes this long (and at least 20 RTTs) was held up on the path, not by the server. */
const STALLED_CONNECT_MS = 1000;

/**
 * Every reconnect attempt got through, but the first one hung on the way: the path held packets back (a
 * blackhole that lifted, Wi-Fi, a VPN re-keying). Unknown when no attempt was made, the first one started failed, or
 * any was refused or reset (probes that timed out beside the held attempt are allowed).
 */
export function stalledConnect(e: Evidence): Fact<boolean> {
  const first = firstStarted(e);
  // probes beside the held attempt time out while it waits; anything that refused or reset says something else
  if (first === undefined || first.result !== 'ok' || e.client.attempts.some((x) => x.result !== 'ok' && x.result !== 'timeout')) return unknown();
  const floor = Math.max(STALLED_CONNECT_MS, 20 * (e.client.lastPingRttMs ?? 0));
  if (first.durationMs < floor) return { value: false, text: '' };
  return { value: true, text: `the reconnect hung for ${formatDuration(first.durationMs)} before it got through (nothing refused or reset it)` };
}

/** The trigger or an attempt says the local side had no route. */
export function noRoute(e: Evidence): Fact<boolean> {
  const c = e.client;
  if (NO_ROUTE_CODES.has(c.trigger.code)) return { value: true, text: `the link failed with ${c.trigger.code}` };
  const n = c.attempts.filter((a) => a.result === 'unreachable').length;
  if (n > 0) return { value: true, text: `no route to the host on ${plural(n, 'reconnect attempt')}` };
  return { value: false, text: '' };
}

/** Interface/route changes during the outage (and a `network-changed` trigger), as sentences. */
export function interfaceTexts(e: Evidence): string[] {
  const trig = e.client.trigger.code === 'network-changed' ? ['the local network changed (interface, address or route)'] : [];
  return trig.concat(e.client.interfaceChanges.map((ch) => {
    const name = ch.iface === undefined ? 'a local interface' : `interface ${ch.iface}`;
    if (ch.kind === 'route-changed') return `the local route changed${ch.iface === undefined ? '' : ` (${ch.iface})`}`;
    if (ch.kind === 'address-changed') return `${name} changed address`;
    return `${name} went ${ch.kind}`;
  }));
}

/** The silence before the failure, as a fact. */
export function silence(e: Evidence): Fact<number> {
  const ms = e.client.silenceMs;
  if (ms === undefined) return unknown();
  return { value: ms, text: `link died after ${formatDuration(ms)} of silence` };
}

/** The trigger as a sentence. */
export function triggerText(e: Evidence): string {
  return `trigger: ${e.client.trigger.code}`;
}

/** The largest drift and its sentence (wall-vs-monotonic names a real suspend). */
export function drift(e: Evidence): Fact<number> {
  const d = e.client.drift;
  if (d === undefined) return unknown();
  const ms = Math.max(d.timerLateMs, d.wallAheadOfMonotonicMs);
  const text =
    d.wallAheadOfMonotonicMs >= d.timerLateMs
      ? `the wall clock ran ${formatDuration(d.wallAheadOfMonotonicMs)} ahead of the monotonic clock (this machine slept)`
      : `a timer fired ${formatDuration(d.timerLateMs)} late (this process was frozen or the machine slept)`;
  return { value: ms, text };
}
