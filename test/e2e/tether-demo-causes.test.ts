// End-to-end: `tether demo --every 3` for one full rotation of its faults; each fault lands on its cause in
// `tether history --json`, and the resets stay in the user's history (XDG state dir) under the demo's host name.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confidenceLabel } from '../../src/diagnosis/classify.js';
import { readResets } from '../../src/history/log.js';
import { PtyDriver, killAllDrivers } from '../helpers/pty-driver.js';
import { PROMPT, ROOT, TETHER_BIN, built, q } from '../helpers/tether-pty.js';

after(killAllDrivers);

const skip = built() ? false : 'dist/ is not built: run `npm run build` first';

/** The demo's rotation (src/cli/demo/faults.ts), in order: the cause each must be given and its confidence band. */
const EXPECTED = [
  { fault: 'a firewall sends TCP RST', cause: 'firewall', band: 'medium' },
  { fault: 'packets vanish for 5 s', cause: 'network', band: 'medium' },
  { fault: 'sshd restarts', cause: 'server-restart', band: 'high' },
  { fault: 'MaxStartups', cause: 'refused-before-banner', band: 'high' },
] as const;

interface HistoryLine {
  host: string;
  hostname: string;
  cause: string;
  confidence: number;
  trigger: string;
  evidence: string[];
}

test('tether demo: every fault of a rotation is diagnosed right, and stays in the history as tether-demo', { skip, timeout: 180_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'tether-e2e-demo-causes-'));
  const state = join(work, 'state');
  mkdirSync(state);
  const env = { XDG_STATE_HOME: state, XDG_CONFIG_HOME: join(work, 'config') };
  const demo = [process.execPath, TETHER_BIN, 'demo', '--every', '3'].map(q).join(' ');
  const d = new PtyDriver('/bin/sh', ['-c', `${demo}; echo "demo-exit=$?"`], { cwd: ROOT, env, cols: 100, rows: 30 });
  try {
    await d.waitForText(PROMPT, 30_000);
    // a rotation: reset at 3 s, blackhole 6-11 s, sshd restart 13-17 s, MaxStartups 19-22 s; the next reset is at 24 s
    const file = join(state, 'tether', 'resets.jsonl');
    const records = async (): Promise<number> => (await readResets(file, () => undefined)).length;
    for (let n = 0; n < 120 && (await records()) < EXPECTED.length; n++) await new Promise((r) => setTimeout(r, 500));
    // the slow facts (the server's journal) amend the last record a moment after the restore
    await new Promise((r) => setTimeout(r, 1500));
    d.write('\r~.');
    await d.waitFor(() => /demo-exit=\d+/.test(d.output()), 30_000, 'the demo to end');
    assert.match(d.output(), /tether history tether-demo/);
    const out = execFileSync(process.execPath, [TETHER_BIN, 'history', '--json'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as HistoryLine);
    const report = lines.map((l) => `${l.cause} ${l.confidence} ${l.trigger}: ${l.evidence.join(' | ')}`).join('\n');
    // the rotation's first four resets (the next one may begin as the demo ends)
    const got = lines.slice(0, EXPECTED.length).map((l, i) => ({ fault: EXPECTED[i]?.fault, cause: l.cause, band: confidenceLabel(l.confidence) }));
    assert.deepEqual(got, EXPECTED.map((x) => ({ ...x })), report);
    for (const l of lines) assert.equal(l.host, 'tether-demo', 'the demo says its name in the history');
    assert.match(d.output(), new RegExp(`→ tether: ${EXPECTED.map((x) => x.cause).join('[^]*→ tether: ')}`), "the closing summary names the same causes");
  } finally {
    d.kill();
    rmSync(work, { recursive: true, force: true });
  }
});
