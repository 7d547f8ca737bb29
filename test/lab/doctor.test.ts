// `tether doctor` in the fault lab, run inside the client namespace: it measures a firewall's idle limit to within
// 20 %, and names a port blocked (RST or drop) while ICMP answers as a firewall/port problem, not a down server.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, sshArgv, startLab } from './index.js';
import type { Lab, RunResult } from './index.js';

// Runs tether's composition root (`tether doctor ...`, as bin/tether does) in a node inside the client namespace.
const ENTRY = "import('./src/cli/main.ts').then((m) => m.main(process.argv.slice(1))).then((c) => process.exit(c), (e) => { console.error(e); process.exit(70); })";

function doctorInClient(lab: Lab, extra: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  const ssh = sshArgv(lab, []);
  return lab.execInClient(process.execPath, ['--import', 'tsx', '-e', ENTRY, '--', 'doctor', ...ssh.args, ...extra], {
    env: { ...ssh.env, ...env },
    cwd: REPO_ROOT,
    timeoutMs,
  });
}

test('--idle-probe finds a 20 s firewall idle timeout (drop) within 20 % and stores it', { timeout: 200_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const state = mkdtempSync(join(tmpdir(), 'tether-doctor-lab-'));
  t.after(() => rmSync(state, { recursive: true, force: true }));
  await lab.idleTimeout(20, 'drop');
  const r = await doctorInClient(lab, ['--idle-probe', '--max-wait', '60', '--max-time', '150'], { XDG_STATE_HOME: state }, 190_000);
  const all = `${r.stdout}\n${r.stderr}`;
  t.diagnostic(r.stdout);
  assert.equal(r.code, 0, all);
  const m = /the path drops idle connections after about (\d+) s/.exec(r.stdout);
  assert.ok(m, all);
  const estimate = Number(m[1]);
  assert.ok(estimate >= 16 && estimate <= 24, `estimate ${estimate} s not within 20 % of 20 s:\n${all}`);
  assert.match(r.stdout, /idle probe round 1: \d+ idle connections/);
  assert.match(r.stdout, /Host 198\.18\.2\.2\n {10}ServerAliveInterval \d+/);
  const stored = JSON.parse(readFileSync(join(state, 'tether', 'hosts.json'), 'utf8')) as { hosts: Record<string, { idleBoundMs?: number; keepaliveMs?: number }> };
  const entry = stored.hosts[`${lab.user}@${lab.serverAddr}:22`];
  assert.ok(entry?.idleBoundMs !== undefined && entry.idleBoundMs >= 16_000 && entry.idleBoundMs <= 26_000, JSON.stringify(stored));
  assert.ok(entry.keepaliveMs !== undefined && entry.keepaliveMs < 20_000, JSON.stringify(stored));
});

test('port 22 blocked while ICMP answers: RST → nothing listens or a firewall rejects; drop → firewall; never a down server', { timeout: 90_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  await lab.blockPort('rst');
  const rst = await doctorInClient(lab, [], {}, 45_000);
  assert.equal(rst.code, 1, `${rst.stdout}\n${rst.stderr}`);
  assert.match(rst.stdout, /ICMP ping 198\.18\.2\.2: [1-3]\/3 replies/);
  assert.match(rst.stdout, /nothing listens on port 22 of 198\.18\.2\.2, or a firewall rejects it: the port refuses connections \(TCP RST\) while the host answers ping/);
  assert.doesNotMatch(rst.stdout, /cannot be reached|host is down/);

  await lab.unblockPort();
  await lab.blockPort('drop');
  const drop = await doctorInClient(lab, [], {}, 45_000);
  assert.equal(drop.code, 1, `${drop.stdout}\n${drop.stderr}`);
  assert.match(drop.stdout, /firewall: port 22 on 198\.18\.2\.2 is silently dropped \(no answer at all\) while the host answers ping/);
  assert.doesNotMatch(drop.stdout, /cannot be reached|host is down/);
});
