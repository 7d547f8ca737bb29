import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RemoteExec } from './exec.js';
import { parseServerFacts } from './evidence-parse.js';
import { collectFastFacts, collectSlowFacts, pidsToCheck, recordFromFacts } from './session-facts.js';

const AT_CONNECT = `tether-evidence-begin
boot_id=ee8d5195-9b3d-470d-9218-ec97084eb1b2
now=1000
btime=100
sshd_session_pid=500
sshd_session_start=990
sshd_master_pid=10
sshd_master_start=200
tmux_version=tmux 3.3a
tmux_server=none
tmux_session=absent
tether-evidence-end`;

const AFTER_ATTACH = `tether-evidence-begin
now=1002
channel_pid=520 alive 999 sh
channel_pid=501 alive 991 tmux: client
tmux_version=tmux 3.3a
tmux_server=running
tmux_session=present
tmux_session_created=992
tmux_pane_pid=600
tether-evidence-end`;

test('the record: connect facts first, then the channel and the tmux session once attached', () => {
  const first = recordFromFacts(parseServerFacts(AT_CONNECT));
  assert.equal(first.bootId, 'ee8d5195-9b3d-470d-9218-ec97084eb1b2');
  assert.equal(first.tmuxInstalled, true);
  assert.equal(first.tmuxVersion?.major, 3);
  assert.equal(first.tmuxSessionCreated, undefined);
  const second = recordFromFacts(parseServerFacts(AFTER_ATTACH), first);
  assert.equal(second.bootId, first.bootId);
  assert.equal(second.sshdMasterStart, 200);
  assert.equal(second.recordedAt, 1002);
  assert.equal(second.channelPid, 501, 'the oldest child of sshd is the interactive channel');
  assert.equal(second.channelStart, 991);
  assert.equal(second.tmuxSessionCreated, 992);
  assert.equal(second.tmuxPanePid, 600);
  assert.deepEqual(pidsToCheck(second), [500, 501, 600]);
});

test('collectFastFacts passes a short timeout and never throws', async () => {
  const seen: (number | undefined)[] = [];
  const ok: RemoteExec = (_cmd, opts) => {
    seen.push(opts?.timeoutMs);
    return Promise.resolve({ stdout: AT_CONNECT, stderr: '', code: 0 });
  };
  const f = await collectFastFacts(ok, { session: 'tether-a', pids: [1] });
  assert.equal(f.sshdMasterPid, 10);
  assert.deepEqual(seen, [300]);

  const failing: RemoteExec = () => Promise.reject(new Error('channel open failure'));
  const g = await collectFastFacts(failing);
  assert.equal(g.complete, false);
  assert.equal(g.execError, 'channel open failure');

  const killed: RemoteExec = () => Promise.resolve({ stdout: 'tether-evidence-begin\nnow=5\n', stderr: 'Terminated', code: null });
  const h = await collectFastFacts(killed);
  assert.equal(h.nowEpoch, 5);
  assert.match(h.execError ?? '', /exit null: Terminated/);
});

test('collectSlowFacts runs the slow script with its own timeout', async () => {
  let command = '';
  const exec: RemoteExec = (cmd, opts) => {
    command = cmd;
    assert.equal(opts?.timeoutMs, 5000);
    return Promise.resolve({ stdout: 'tether-evidence-begin\njournal_status=empty\ntether-evidence-end\n', stderr: '', code: 0 });
  };
  const f = await collectSlowFacts(exec, { sinceEpoch: 1234.9 });
  assert.equal(f.journalStatus, 'empty');
  assert.match(command, /SINCE=1234/);
});
