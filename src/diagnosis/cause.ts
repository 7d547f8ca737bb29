// The causes tether names for a broken link (../shared/design.md, "Diagnosis: causes and their evidence").
// One definition each, tested by src/diagnosis/calibration.test.ts (lab faults, their variants, the demo's):
//   idle-timeout     the link died on the first packet after a silence at least as long as the path's idle limit,
//                    and the port answered at once; the server (boot, listener, session) unchanged
//   firewall         the port refused, reset or dropped connections while the host itself answered (ping), or a
//                    reset reached only this side (the server's sshd lived on); the server unchanged
//   network          nothing reached the host (ping too), no route or the local interface went down, or a
//                    connect hung then got through while the server ran on
//   server-restart   sshd's listener is newer than the outage (or was replaced), same boot
//   reboot           boot_id changed, or the uptime is shorter than the outage
//   session-killed   a process of our session (our per-connection sshd, the tmux session, the login shell) died
//                    while the boot and the listener stayed and the path was fine
//   client-suspend   this machine slept or tether was frozen (late timers, the wall clock ahead of monotonic)
//   refused-before-banner  TCP accepted, closed before the SSH banner (MaxStartups, TCP wrappers, fail2ban)
//   protocol / auth / host-key-changed  the reconnect's handshake, authentication or host key failed
//   unknown          none of these has its distinguishing facts; the evidence says which facts were missing

/** Every cause the classifier may return. */
export const CAUSES = [
  'idle-timeout',
  'firewall',
  'network',
  'server-restart',
  'reboot',
  'session-killed',
  'protocol',
  'auth',
  'host-key-changed',
  'client-suspend',
  'refused-before-banner',
  'unknown',
] as const;

export type Cause = (typeof CAUSES)[number];

/** Whether a string names a cause (for `--cause` and for reading history lines). */
export function isCause(s: string): s is Cause {
  return (CAUSES as readonly string[]).includes(s);
}
