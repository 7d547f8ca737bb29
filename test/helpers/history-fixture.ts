// A deterministic reset history of many records (several hosts, every cause, learned idle limits, damaged lines) for dashboard tests.
import { writeFileSync } from 'node:fs';
import { CAUSES } from '../../src/diagnosis/cause.js';
import type { ResetRecord } from '../../src/history/record.js';

const HOSTS = ['web', 'db', 'bastion', 'build', 'gpu-box', 'nas'];
const OUTCOMES = ['restored', 'restored', 'restored', 'survived', 'new-session', 'gave-up'] as const;

/** A small seeded generator (mulberry32), so the fixture is the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` records spread over the `days` before `end` (epoch ms), oldest first. */
export function fixtureRecords(n: number, end: number, days = 60): ResetRecord[] {
  const r = rng(12);
  const out: ResetRecord[] = [];
  const span = days * 86_400_000;
  for (let i = 0; i < n; i++) {
    const host = HOSTS[Math.floor(r() * HOSTS.length)] ?? 'web';
    const cause = r() < 0.35 ? 'idle-timeout' : (CAUSES[Math.floor(r() * CAUSES.length)] ?? 'unknown');
    const detectedAt = end - span + Math.floor((i / n) * span);
    // idle limits tighten over time on some hosts, as a new firewall rule would make them
    const silence = cause === 'idle-timeout' ? Math.round(300_000 * (1 - (0.6 * i) / n) + r() * 60_000) : Math.round(r() * 5000);
    const down = Math.round(500 + r() * r() * 120_000);
    out.push({
      v: 1,
      id: `fx-${i}`,
      host,
      hostname: `${host}.example`,
      port: 22,
      user: 'ann',
      session: 'tether-fx',
      detectedAt: new Date(detectedAt).toISOString(),
      lastHeardAt: new Date(detectedAt - silence).toISOString(),
      restoredAt: new Date(detectedAt + down).toISOString(),
      downtimeMs: down,
      trigger: cause === 'idle-timeout' ? 'ECONNRESET' : 'liveness-dead',
      cause,
      confidence: Math.round(r() * 100) / 100,
      evidence: [`silence ${Math.round(silence / 1000)} s before the failure`, `fixture record ${i}`],
      advice: [`advice for ${cause}`],
      attempts: 1 + Math.floor(r() * 4),
      outcome: OUTCOMES[Math.floor(r() * OUTCOMES.length)] ?? 'restored',
      keepaliveMs: 25_000,
    });
  }
  return out;
}

/** Writes the records as a history file, with `damaged` broken lines among them. */
export function writeFixtureHistory(file: string, records: readonly ResetRecord[], damaged = 2): void {
  const lines = records.map((x) => JSON.stringify(x));
  for (let i = 0; i < damaged; i++) lines.splice(Math.floor(((i + 1) * lines.length) / (damaged + 1)), 0, `{"v":1,"id":"broken-${i}",`);
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
}
