// The causes tether names for a broken link (design.md, "Diagnosis: causes and their evidence").

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
