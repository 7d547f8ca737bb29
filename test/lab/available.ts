// Can this machine run the fault lab? And the test helper: skip outside CI, fail in CI.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { createLab } from './lab.js';
import type { Lab, LabOptions } from './lab.js';

/** The result of labAvailable(): ok, or the reason the lab cannot run here. */
export type LabAvailability = { ok: true } | { ok: false; why: string };

// Tools the lab runs, with the argument that proves each one works.
const TOOLS: readonly (readonly [string, readonly string[]])[] = [
  ['ip', ['-V']],
  ['iptables', ['--version']],
  ['conntrack', ['--version']],
  ['/usr/sbin/sshd', ['-V']],
  ['ssh', ['-V']],
  ['ssh-keygen', ['-?']],
  ['tmux', ['-V']],
  ['unshare', ['--version']],
  ['nsenter', ['--version']],
  ['runuser', ['--version']],
  ['perl', ['-v']],
  ['ping', ['-V']],
];

// Computed once per process: the checks spawn a dozen processes.
let cached: LabAvailability | undefined;

/** Checks root, the tools, netns support and the cgroup v1 freezer. */
export function labAvailable(): LabAvailability {
  cached ??= check();
  return cached;
}

function check(): LabAvailability {
  if (process.platform !== 'linux') return { ok: false, why: `fault lab needs Linux, this is ${process.platform}` };
  if (process.getuid?.() !== 0) return { ok: false, why: 'fault lab needs root (network namespaces, iptables, sshd)' };
  for (const [tool, args] of TOOLS) {
    const r = spawnSync(tool, [...args], { stdio: 'ignore' });
    if (r.error) return { ok: false, why: `fault lab needs '${tool}' (${r.error.message})` };
  }
  const probe = `tlprobe${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (add.status !== 0) return { ok: false, why: `fault lab cannot create a network namespace: ${add.stderr.trim()}` };
  spawnSync('ip', ['netns', 'del', probe]);
  if (!existsSync('/sys/fs/cgroup/freezer/cgroup.procs')) return { ok: false, why: 'fault lab needs the cgroup v1 freezer at /sys/fs/cgroup/freezer' };
  return { ok: true };
}

/**
 * For a test: returns true when the lab can run. Otherwise skips the test with the reason, except under
 * CI=true, where a missing lab is a failure (throws).
 */
export function requireLab(t: Pick<TestContext, 'skip'>, a: LabAvailability = labAvailable()): boolean {
  if (a.ok) return true;
  if (process.env.CI === 'true') throw new Error(`fault lab unavailable in CI: ${a.why}`);
  t.skip(a.why);
  return false;
}

/** For a test: a fresh lab disposed in t.after (even on failure), or undefined after a skip (see requireLab). */
export async function startLab(t: TestContext, opts: LabOptions = {}): Promise<Lab | undefined> {
  if (!requireLab(t)) return undefined;
  const lab = await createLab(opts);
  t.after(() => lab.dispose());
  return lab;
}
