import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerFacts } from '../../remote/evidence-parse.js';
import { compareServerFacts } from '../../remote/server-changes.js';
import { recordFromFacts } from '../../remote/session-facts.js';
import { DemoSshdFacts } from './server-facts.js';

/** What the fast script prints on a machine whose own sshd is pid 900, started long ago. */
const MACHINE = ['tether-evidence-begin', 'v=1', 'boot_id=3f2a0c1e-5b7d-4e1f-9a2b-0c3d4e5f6a7b', 'now=1700000100', 'sshd_master_pid=900', 'sshd_master_source=pidfile', 'sshd_master_start=1600000000', 'tmux_server=running', 'tether-evidence-end', ''].join('\n');

test("the fast answer names the demo server's listener, never the machine's sshd", () => {
  let now = 1_700_000_000_000;
  const f = new DemoSshdFacts(() => now, 4242);
  const facts = parseServerFacts(f.fastAnswer(MACHINE));
  assert.equal(facts.complete, true);
  assert.equal(facts.sshdMasterPid, 4242);
  assert.equal(facts.sshdMasterStart, 1_700_000_000);
  assert.equal(facts.sshdMasterSource, 'self');
  assert.equal(facts.bootId, '3f2a0c1e-5b7d-4e1f-9a2b-0c3d4e5f6a7b', "the rest is the demo host's own");
  // a restart: the listener stops, comes back later as a new master
  const before = recordFromFacts(facts);
  now += 2000;
  f.stop();
  now += 4000;
  f.start(2222);
  const after = parseServerFacts(f.fastAnswer(MACHINE));
  assert.equal(after.sshdMasterStart, 1_700_000_006);
  assert.equal(compareServerFacts(before, after).sshdRestarted, true);
});

test('an answer cut short stays incomplete', () => {
  const f = new DemoSshdFacts(() => 0, 1);
  assert.equal(parseServerFacts(f.fastAnswer('tether-evidence-begin\nv=1\nboot_id=3f2a0c1e')).complete, false);
});

test("the slow answer: no kernel log of its own, the server's journal since the given second", () => {
  let now = 1_700_000_000_000;
  const f = new DemoSshdFacts(() => now, 7);
  f.log('old line');
  now += 10_000;
  f.stop();
  now += 4000;
  f.start(2222);
  const facts = parseServerFacts(f.slowAnswer(1_700_000_005));
  assert.equal(facts.complete, true);
  assert.equal(facts.dmesgStatus, 'missing');
  assert.equal(facts.journalStatus, 'ok');
  assert.deepEqual(facts.journal.map((l) => l.replace(/^[\d.]+ /, '')), [
    'demo sshd[7]: Received signal 15; terminating.',
    'demo sshd[7]: Server listening on 127.0.0.1 port 2222.',
  ]);
  assert.equal(parseServerFacts(f.slowAnswer(1_800_000_000)).journalStatus, 'empty');
});
