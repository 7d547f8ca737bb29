// Rules for causes that share symptoms (a reset, a refusal, a timeout): each needs its own
// distinguishing facts to apply at all, then corroborating facts raise its confidence.
import type { Candidate } from './candidate.js';
import { CandidateBuilder } from './candidate.js';
import type { Evidence } from './evidence.js';
import {
  bootChanged,
  bootedDuringOutage,
  countAttempts,
  hostAnswered,
  longSilence,
  interfaceTexts,
  masterNewer,
  noRoute,
  reachableAtOnce,
  sessionAlive,
  silence,
  spanOf,
  stalledConnect,
  tmuxAlive,
  triggerText,
} from './facts.js';
import { formatDuration, plural } from './format.js';

/** Trigger codes meaning the peer or a middlebox answered the first packet with RST / no answer. */
const RESET_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ping-timeout',
  'liveness-suspect',
  'liveness-dead',
]);

/** Trigger codes meaning the link went quiet (pings unanswered), not that something answered with an error. */
const LIVENESS_CODES: ReadonlySet<string> = new Set(['ping-timeout', 'liveness-suspect', 'liveness-dead', 'ETIMEDOUT']);

/** Evidence line for a dead sshd of the old connection. */
const SSHD_GONE = "the old connection's sshd process was gone (the server's side of the connection died)";

/** Evidence line for a surviving sshd of the old connection. */
const OLD_SSHD_ALIVE = "the old connection's sshd process was still running (the server never closed it)";

/** sshd journal lines that name a restart. */
const RESTART_LINE = /received signal|server listening|terminating|stopped|started|exited|main process/i;

/** sshd journal lines that name a refusal before the banner. */
const PREBANNER_LINE = /maxstartups|drop(ping)? connection|refused connect|hosts\.(allow|deny)|fail2ban|\bban\b/i;

/** The first journal line matching, as evidence. */
function journalFact(e: Evidence, re: RegExp): string {
  const line = e.server?.sshdJournalLines.find((l) => re.test(l));
  return line === undefined ? '' : `sshd journal: ${line.trim().slice(0, 160)}`;
}

/** The server state says something else happened (reboot or restart): those rules own it. */
function serverChanged(e: Evidence): boolean {
  return bootChanged(e).value === true || bootedDuringOutage(e).value === true || masterNewer(e).value === true;
}

/** Port closed for a while (refused), then sshd's master is newer than the outage; same boot. */
export function serverRestartRule(e: Evidence): Candidate | null {
  const boot = bootChanged(e);
  if (boot.value === true || bootedDuringOutage(e).value === true) return null;
  const m = masterNewer(e);
  const refused = countAttempts(e).refused;
  const port = e.target.port;
  const refusedText =
    refused > 0
      ? `port ${port} refused for ${formatDuration(spanOf(e.client.attempts, ['refused']))} (${plural(refused, 'attempt')}) while the host was up`
      : '';
  let b: CandidateBuilder;
  if (m.value === true) {
    b = new CandidateBuilder('server-restart', 0.7).fact(m.text);
    b.weigh(refused > 0, 0.15, refusedText);
    b.weigh(boot.value === false, 0.05, boot.text);
  } else if (m.value === undefined && refused > 0 && countAttempts(e).ok > 0) {
    b = new CandidateBuilder('server-restart', 0.4).fact(`${refusedText}, then accepted`);
    b.weigh(hostAnswered(e).value === true, 0.05, hostAnswered(e).text);
  } else {
    return null;
  }
  b.weigh(true, 0.05, journalFact(e, RESTART_LINE));
  b.weigh(e.client.trigger.code === 'EOF', 0.05, 'the server closed the connection (EOF)');
  // sshd restarts leave sessions running (KillMode=process): a new master alone, after a long
  // silence, with no refusal and no EOF, does not explain the reset.
  b.weigh(refused === 0 && e.client.trigger.code !== 'EOF' && longSilence(e), -0.3, '');
  return b.build();
}

/**
 * session-killed: a process of our session on the server died (our per-connection sshd, the tmux session, or
 * without tmux the login shell) while the boot and the sshd listener stayed, and the path was fine. The signs of
 * the kill: the server closed the connection (EOF), our sshd process is gone when the first reconnect gets through
 * at once (a one-sided reset by a firewall leaves it running), the tmux session is gone, OOM lines.
 */
export function sessionKilledRule(e: Evidence): Candidate | null {
  if (serverChanged(e)) return null;
  const sess = sessionAlive(e);
  const tmux = tmuxAlive(e);
  const eof = e.client.trigger.code === 'EOF';
  // With tmux, only the tmux session tells; without it, the login shell.
  const shellGone = tmux.value === undefined && sess.value === false;
  const sshdGone = e.server?.sshdSessionAlive === false && reachableAtOnce(e).value === true;
  if (!(shellGone || tmux.value === false || eof || sshdGone)) return null;
  // The old connection's sshd is still there: the server never closed it, the path did.
  if (e.server?.sshdSessionAlive === true) return null;
  const oom = e.server?.oomLines ?? [];
  const b = new CandidateBuilder('session-killed', 0.35);
  b.weigh(eof, 0.2, 'the server closed the connection (EOF) without an SSH disconnect');
  b.weigh(sshdGone, 0.2, `${SSHD_GONE}, and the first reconnect got through at once`);
  b.weigh(tmux.value === false, 0.2, tmux.text);
  b.weigh(shellGone, 0.1, sess.text);
  b.weigh(oom.length > 0, 0.25, oom.length > 0 ? `kernel OOM killer: ${oom[0]?.trim().slice(0, 160)}` : '');
  b.weigh(oom.length > 1, 0, `${plural(oom.length, 'OOM killer line')} since the outage began`);
  b.weigh(bootChanged(e).value === false, 0.05, bootChanged(e).text);
  b.weigh(masterNewer(e).value === false, 0.05, masterNewer(e).text);
  // After a long silence a dead shell is what any dropped link leaves behind (without tmux).
  b.weigh(longSilence(e) && oom.length === 0 && tmux.value !== false, -0.2, '');
  return b.build();
}

/** TCP accepted, then closed before the SSH banner: MaxStartups, TCP wrappers, fail2ban. */
export function refusedBeforeBannerRule(e: Evidence): Candidate | null {
  const n = countAttempts(e)['closed-before-banner'];
  if (n === 0) return null;
  const last = e.client.attempts[e.client.attempts.length - 1];
  const span = spanOf(e.client.attempts, ['closed-before-banner']);
  const b = new CandidateBuilder('refused-before-banner', 0.55).fact(
    `port ${e.target.port} accepted TCP but closed before the SSH banner (${plural(n, 'attempt')} over ${formatDuration(span)})`,
  );
  b.weigh(n >= 2, 0.15, '');
  b.weigh(last?.result === 'closed-before-banner', 0.05, 'the last attempt was closed before the banner too');
  b.weigh(true, 0.15, journalFact(e, PREBANNER_LINE));
  b.weigh(masterNewer(e).value === false, 0.05, masterNewer(e).text);
  return b.build();
}

/** Port 22 drops/resets while the host still answers; same boot; sshd master older than the outage. */
export function firewallRule(e: Evidence): Candidate | null {
  if (serverChanged(e)) return null;
  const c = countAttempts(e);
  const ha = hostAnswered(e);
  // No route to the port while ping answers is a REJECT with an ICMP error, not the path.
  const failed = c.refused + c.reset + c.timeout + (ha.value === true ? c.unreachable : 0);
  const m = masterNewer(e);
  const boot = bootChanged(e);
  const s = silence(e);
  let b: CandidateBuilder;
  if (failed > 0 && ha.value === true) {
    const what = [
      c.refused > 0 ? 'refused' : '',
      c.reset > 0 ? 'reset' : '',
      c.timeout > 0 ? 'dropped' : '',
      c.unreachable > 0 ? 'rejected (unreachable)' : '',
    ]
      .filter((x) => x !== '')
      .join('/');
    const span = formatDuration(spanOf(e.client.attempts, ['refused', 'reset', 'timeout', 'unreachable']));
    const answered = ha.text.replace('the host answered ', '').replace(' during the outage', '');
    b = new CandidateBuilder('firewall', 0.45).fact(
      `port ${e.target.port} ${what} for ${span} (${plural(failed, 'attempt')}) while the host answered ${answered}`,
    );
    b.weigh(failed >= 2, 0.15, '');
  } else if (c.reset > 0 && ha.value === undefined && c.refused === 0) {
    b = new CandidateBuilder('firewall', 0.4).fact(`port ${e.target.port} reset ${plural(c.reset, 'connection')} after TCP accepted`);
  } else if (e.client.trigger.code === 'ECONNRESET' && s.value !== undefined && !longSilence(e) && reachableAtOnce(e).value === true) {
    b = new CandidateBuilder('firewall', 0.35).fact(`the link was reset after only ${formatDuration(s.value)} of silence`);
    b.fact(reachableAtOnce(e).text);
    b.weigh(sessionAlive(e).value === true, 0.1, sessionAlive(e).text);
    // a firewall's reset reaches this side only; the server's sshd dying at once says the server's side broke
    b.weigh(e.server?.sshdSessionAlive === false, -0.25, '');
  } else {
    return null;
  }
  b.weigh(m.value === false, 0.2, m.text);
  b.weigh(boot.value === false, 0.05, boot.text);
  b.weigh(e.server?.sshdSessionAlive === true, 0.05, OLD_SSHD_ALIVE);
  return b.build();
}

/** Nothing reaches the host, or the local interface/route went away. */
export function networkRule(e: Evidence): Candidate | null {
  const nr = noRoute(e);
  const ifs = interfaceTexts(e);
  const ha = hostAnswered(e);
  const c = countAttempts(e);
  const signals = [nr.value === true, ifs.length > 0, e.client.icmpReachable === false].filter(Boolean).length;
  let b: CandidateBuilder;
  if (signals > 0) {
    b = new CandidateBuilder('network', 0.45 + 0.15 * signals);
    b.fact(nr.value === true ? nr.text : '');
    for (const t of ifs) b.fact(t);
    b.fact(e.client.icmpReachable === false ? ha.text : '');
  } else if (c.timeout > 0 && reachableAtOnce(e).value === false && ha.value === undefined) {
    b = new CandidateBuilder('network', 0.35);
  } else if (stalledConnect(e).value === true && LIVENESS_CODES.has(e.client.trigger.code) && !longSilence(e)) {
    // the link went quiet and the next connect hung then went through: packets were lost on the way, both ways
    b = new CandidateBuilder('network', 0.5).fact(stalledConnect(e).text);
    b.weigh(silence(e).value !== undefined, 0, silence(e).text);
    b.weigh(sessionAlive(e).value === true || tmuxAlive(e).value === true, 0.05, 'the server kept the session: nothing happened on its side');
  } else {
    return null;
  }
  // the local interface itself went down with no route: this side's network, beyond doubt
  b.weigh(nr.value === true && e.client.interfaceChanges.some((ch) => ch.kind === 'down'), 0.1, '');
  // the server ran on through it (same boot, same listener): the path, not the host, was down
  const serverSame = bootChanged(e).value === false && masterNewer(e).value === false;
  b.weigh(serverSame, 0.1, bootChanged(e).text);
  b.weigh(serverSame, 0, masterNewer(e).text);
  const timeoutSpan = formatDuration(spanOf(e.client.attempts, ['timeout', 'unreachable']));
  b.weigh(c.timeout > 0, 0.1, `port ${e.target.port} did not answer for ${timeoutSpan} (${plural(c.timeout, 'attempt')} timed out)`);
  b.weigh(ha.value === true, -0.3, '');
  b.weigh(serverChanged(e), -0.2, '');
  return b.fact(triggerText(e)).build();
}

/** The link died after a long silence; the host answered at once; same boot, master, session. */
export function idleTimeoutRule(e: Evidence): Candidate | null {
  const s = silence(e);
  if (s.value === undefined || !longSilence(e)) return null;
  if (noRoute(e).value === true || interfaceTexts(e).length > 0) return null;
  if (bootChanged(e).value === true || bootedDuringOutage(e).value === true) return null;
  const reach = reachableAtOnce(e);
  const ha = hostAnswered(e);
  // The port itself must answer at once; with no attempt yet, the host answering will do (weakly).
  if (reach.value !== true && !(e.client.attempts.length === 0 && ha.value === true)) return null;
  const boot = bootChanged(e);
  const m = masterNewer(e);
  const sess = sessionAlive(e);
  const tmux = tmuxAlive(e);
  const learned = e.client.learnedIdleLimitMs;
  const b = new CandidateBuilder('idle-timeout', 0.5).fact(s.text);
  b.weigh(RESET_CODES.has(e.client.trigger.code), 0.05, `${triggerText(e)} on the first packet after the silence`);
  b.weigh(reach.value === true, 0.1, reach.text);
  b.weigh(reach.value !== true && ha.value === true, 0.05, ha.text);
  b.weigh(boot.value === false, 0.1, boot.text);
  b.weigh(m.value === false, 0.1, m.text);
  b.weigh(m.value === true, -0.25, '');
  b.weigh(sess.value === true || tmux.value === true, 0.1, sess.value === true ? sess.text : tmux.text);
  b.weigh(sess.value === false && tmux.value !== true, -0.1, '');
  b.weigh(
    learned !== undefined && s.value >= learned * 0.9,
    0.05,
    `the silence reached the idle limit learned for this host (${formatDuration(learned ?? 0)})`,
  );
  b.weigh(e.server?.sshdSessionAlive === true, 0.05, OLD_SSHD_ALIVE);
  return b.build();
}
