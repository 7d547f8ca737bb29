import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeServerFacts, oomEpoch, parseServerFacts } from './evidence-parse.js';

/** Captured from the fast script under dash on Debian 12 (tmux 3.3a, a session present). */
const FAST_DEBIAN = `Welcome! (a noisy .bashrc line before the marker)
tether-evidence-begin
v=1
boot_id=ee8d5195-9b3d-470d-9218-ec97084eb1b2
uptime=687.53
now=1795317849
btime=1795317161
self_pid=11026
sshd_session_pid=11020
sshd_session_start=1795317840
sshd_master_pid=10319
sshd_master_source=ancestry
sshd_master_start=1795317827
pid=1 alive 1795317161 process_api
pid=999999 gone
pid=10994 alive 1795317848 node worker
pid=4242 alive
channel_pid=11021 alive 1795317841 tmux: client
loadavg=0.45 0.47 0.27
mem_available_kb=24303088
tmux_version=tmux 3.3a
tmux_server=running
tmux_session=present
tmux_session_created=1795317842
tmux_pane_pid=11030
tmux_session_attached=1
tmux_session_id=11028/$4
tether-evidence-end
`;

test('a complete fast output', () => {
  const f = parseServerFacts(FAST_DEBIAN);
  assert.equal(f.complete, true);
  assert.equal(f.bootId, 'ee8d5195-9b3d-470d-9218-ec97084eb1b2');
  assert.equal(f.uptimeSec, 687.53);
  assert.equal(f.nowEpoch, 1795317849);
  assert.equal(f.bootEpoch, 1795317161);
  assert.equal(f.selfPid, 11026);
  assert.equal(f.sshdSessionPid, 11020);
  assert.equal(f.sshdSessionStart, 1795317840);
  assert.equal(f.sshdMasterPid, 10319);
  assert.equal(f.sshdMasterStart, 1795317827);
  assert.equal(f.sshdMasterSource, 'ancestry');
  assert.deepEqual(f.pids, [
    { pid: 1, alive: true, startEpoch: 1795317161, comm: 'process_api' },
    { pid: 999999, alive: false },
    { pid: 10994, alive: true, startEpoch: 1795317848, comm: 'node worker' },
    { pid: 4242, alive: true },
  ]);
  assert.deepEqual(f.channels, [{ pid: 11021, alive: true, startEpoch: 1795317841, comm: 'tmux: client' }]);
  assert.deepEqual(f.loadAvg, [0.45, 0.47, 0.27]);
  assert.equal(f.memAvailableKb, 24303088);
  assert.deepEqual(f.tmux, {
    installed: true,
    version: 'tmux 3.3a',
    server: 'running',
    session: 'present',
    sessionCreated: 1795317842,
    panePid: 11030,
    attached: 1,
    sessionId: '11028/$4',
  });
  assert.deepEqual(f.garbage, []);
});

test('busybox-like output: no sshd, no tmux, no meminfo', () => {
  const f = parseServerFacts('tether-evidence-begin\nv=1\nboot_id=0b6a1c2e-1111-2222-3333-444455556666\nuptime=12.00\nself_pid=77\ntmux_installed=no\ntether-evidence-end\n');
  assert.equal(f.complete, true);
  assert.equal(f.tmux.installed, false);
  assert.equal(f.sshdMasterPid, undefined);
  assert.equal(f.memAvailableKb, undefined);
  assert.deepEqual(f.pids, []);
});

test('tmux installed, no server running', () => {
  const f = parseServerFacts('tether-evidence-begin\ntmux_version=tmux 2.8\ntmux_server=none\ntmux_session=absent\ntether-evidence-end');
  assert.deepEqual(f.tmux, { installed: true, version: 'tmux 2.8', server: 'none', session: 'absent' });
});

test('cut short: no end marker, so not complete; what was read is kept', () => {
  const f = parseServerFacts('tether-evidence-begin\nv=1\nboot_id=ee8d5195-9b3d-470d-9218-ec97084eb1b2\nupt');
  assert.equal(f.complete, false);
  assert.equal(f.bootId, 'ee8d5195-9b3d-470d-9218-ec97084eb1b2');
  assert.deepEqual(f.garbage, ['upt']);
});

test('garbage and bad values never crash and never become facts', () => {
  const f = parseServerFacts(
    [
      'tether-evidence-begin',
      'boot_id=$(rm -rf /)',
      'uptime=abc',
      'now=-5',
      'pid=12 maybe',
      'pid=x alive',
      'loadavg=1 2',
      'tmux_server=exploded',
      'sshd_master_source=guess',
      '=nokey',
      'random text',
      'future_key=1',
      '\u0000\u0001binary',
      'tether-evidence-end',
      'after_end=1',
    ].join('\n'),
  );
  assert.equal(f.complete, true);
  assert.equal(f.bootId, undefined);
  assert.equal(f.uptimeSec, undefined);
  assert.equal(f.nowEpoch, undefined);
  assert.deepEqual(f.pids, []);
  assert.equal(f.loadAvg, undefined);
  assert.equal(f.tmux.server, undefined);
  assert.equal(f.sshdMasterSource, undefined);
  assert.equal(f.garbage.length, 12);
  assert.ok(!f.garbage.includes('after_end=1'));
});

test('empty output and CRLF output', () => {
  assert.equal(parseServerFacts('').complete, false);
  const f = parseServerFacts('tether-evidence-begin\r\nnow=1700000000\r\ntether-evidence-end\r\n');
  assert.equal(f.nowEpoch, 1700000000);
  assert.equal(f.complete, true);
});

/** Captured shapes of the slow script: dmesg readable with an OOM kill, journal readable. */
const SLOW = `tether-evidence-begin
v=1
dmesg_status=ok
oom=[  812.004211] Out of memory: Killed process 4242 (sshd) total-vm:15000kB, anon-rss:900kB
oom=[  812.010000] oom_reaper: reaped process 4242 (sshd), now anon-rss:0kB
journal_status=ok
journal=1795318000.123456 host sshd[10319]: Received signal 15; terminating.
journal=1795318002.000001 host sshd[12000]: Server listening on 0.0.0.0 port 22.
tether-evidence-end
`;

test('the slow part: OOM lines with boot-relative stamps and journal lines', () => {
  const f = parseServerFacts(SLOW);
  assert.equal(f.dmesgStatus, 'ok');
  assert.equal(f.oomSource, 'dmesg');
  assert.equal(f.oom.length, 2);
  assert.equal(f.oom[0]?.bootSeconds, 812.004211);
  assert.equal(oomEpoch(f.oom[0] ?? { text: '' }, 1795317161), 1795317161 + 812.004211);
  assert.equal(f.journalStatus, 'ok');
  assert.equal(f.journal.length, 2);
});

test('dmesg restricted: OOM lines from the kernel journal carry epoch stamps', () => {
  const f = parseServerFacts(
    'tether-evidence-begin\ndmesg_status=denied\noom_journal=1795318000.5 host kernel: Out of memory: Killed process 1\njournal_status=empty\ntether-evidence-end',
  );
  assert.equal(f.oomSource, 'journal');
  assert.equal(oomEpoch(f.oom[0] ?? { text: '' }, undefined), 1795318000.5);
  assert.equal(f.journalStatus, 'empty');
});

test('merging fast and slow facts keeps both', () => {
  const m = mergeServerFacts(parseServerFacts(FAST_DEBIAN), parseServerFacts(SLOW));
  assert.equal(m.bootId, 'ee8d5195-9b3d-470d-9218-ec97084eb1b2');
  assert.equal(m.oom.length, 2);
  assert.equal(m.journalStatus, 'ok');
  assert.equal(m.tmux.panePid, 11030);
});
