import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVIDENCE_BEGIN, EVIDENCE_END, evidenceScriptKind, fastEvidenceCommand, fastEvidenceScript, slowEvidenceCommand, slowEvidenceScript, slowEvidenceSince } from './evidence-script.js';

test('the fast script is bracketed by markers and reads what the diagnosis needs', () => {
  const s = fastEvidenceScript({ session: 'tether-a', pids: [12, 34], listChannels: true });
  assert.ok(s.startsWith(`echo ${EVIDENCE_BEGIN}\n# tether-evidence: fast\n`));
  assert.ok(s.endsWith(`echo ${EVIDENCE_END}`));
  for (const needle of ['/proc/sys/kernel/random/boot_id', '/proc/uptime', 'date +%s', 'btime', 'sshd_master_pid', 'pgrep -o -x sshd', "PIDS='12 34'", 'LIST_CHANNELS=1', 'list-sessions', 'MemAvailable']) {
    assert.ok(s.includes(needle), needle);
  }
  assert.ok(!s.includes('journalctl') && !s.includes('dmesg'), 'slow probes stay out of the fast part');
});

test('pids are integers only; a nasty session name is quoted', () => {
  const s = fastEvidenceScript({ session: "x'$(reboot)", pids: [1.5, -3, 7] });
  assert.ok(s.includes("PIDS=7\n"));
  assert.ok(s.includes(String.raw`S='x'\''$(reboot)'`));
});

test('a private tmux socket reaches every tmux call', () => {
  const s = fastEvidenceScript({ socket: { path: '/tmp/t s/sock' } });
  assert.ok(s.includes(`tm() { $TO tmux -u -S '/tmp/t s/sock' "$@"; }`));
});

test('the slow script: OOM and journal since the given second, bounded by timeout', () => {
  const s = slowEvidenceScript({ sinceEpoch: 1700000000.7, timeoutSec: 3 });
  assert.ok(s.includes('SINCE=1700000000'));
  assert.ok(s.includes("TO='timeout 3'"));
  assert.ok(s.includes('journalctl -u ssh -u sshd'));
  assert.ok(s.includes('dmesg'));
});

test('the command form runs under /bin/sh whatever the login shell', () => {
  assert.ok(fastEvidenceCommand().startsWith("exec /bin/sh -c 'echo tether-evidence-begin"));
});

test('each script names its kind, so an embedded server can answer it; other commands are not evidence', () => {
  assert.equal(evidenceScriptKind(fastEvidenceCommand({ session: 's' })), 'fast');
  assert.equal(evidenceScriptKind(slowEvidenceCommand({ sinceEpoch: 1700000000 })), 'slow');
  assert.equal(slowEvidenceSince(slowEvidenceCommand({ sinceEpoch: 1700000000 })), 1700000000);
  assert.equal(evidenceScriptKind('echo tether-evidence-begin; uptime'), undefined);
  assert.equal(evidenceScriptKind('tmux -V'), undefined);
});
