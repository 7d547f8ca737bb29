import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerFacts } from './evidence-parse.js';
import { emptyServerFacts } from './evidence-parse.js';
import { decideReattach, hasSessionCommand, sessionExistsFromExec } from './reattach.js';
import type { SessionRecord } from './session-facts.js';
import { compareServerFacts } from './server-changes.js';

const BOOT = 'ee8d5195-9b3d-470d-9218-ec97084eb1b2';
const BEFORE: SessionRecord = {
  recordedAt: 1000,
  bootId: BOOT,
  bootEpoch: 100,
  sshdSessionPid: 500,
  sshdSessionStart: 990,
  sshdMasterPid: 10,
  sshdMasterStart: 200,
  channelPid: 501,
  channelStart: 991,
  tmuxInstalled: true,
  tmuxSessionCreated: 992,
  tmuxPanePid: 600,
};

function now(over: Partial<ServerFacts> & { tmux?: ServerFacts['tmux'] } = {}): ServerFacts {
  return {
    ...emptyServerFacts(),
    complete: true,
    bootId: BOOT,
    bootEpoch: 100,
    nowEpoch: 1300,
    uptimeSec: 1200,
    sshdMasterPid: 10,
    sshdMasterStart: 200,
    pids: [
      { pid: 500, alive: true, startEpoch: 990 },
      { pid: 501, alive: true, startEpoch: 991 },
      { pid: 600, alive: true, startEpoch: 992 },
    ],
    tmux: { installed: true, server: 'running', session: 'present', sessionCreated: 992, panePid: 600 },
    ...over,
  };
}

test('same boot, same tmux session: restored', () => {
  const d = decideReattach({ restoreMode: 'tmux', before: BEFORE, now: now() });
  assert.equal(d.outcome, 'restored');
  assert.ok(d.evidence.includes(`same boot (boot_id ${BOOT})`));
  assert.ok(d.evidence.includes('the tmux session survived'));
});

test('boot_id changed: new session, reason reboot, and the notice says so', () => {
  const d = decideReattach({
    restoreMode: 'tmux',
    before: BEFORE,
    now: now({ bootId: '11111111-2222-3333-4444-555555555555', tmux: { installed: true, server: 'none', session: 'absent' } }),
  });
  assert.equal(d.outcome, 'new-session');
  assert.equal(d.outcome === 'new-session' && d.reason, 'reboot');
  assert.match(d.notice ?? '', /the old shell is gone: the server rebooted/);
});

test('without boot_id, uptime shorter than the time since connect means reboot', () => {
  const c = compareServerFacts({ recordedAt: 1000 }, { ...emptyServerFacts(), nowEpoch: 1300, uptimeSec: 60 });
  assert.equal(c.rebooted, true);
});

test('session absent on the same boot: session-killed', () => {
  const d = decideReattach({ restoreMode: 'tmux', before: BEFORE, now: now({ tmux: { installed: true, server: 'none', session: 'absent' } }) });
  assert.equal(d.outcome === 'new-session' && d.reason, 'session-killed');
  assert.match(d.notice ?? '', /killed/);
});

test('a session of the same name but a new creation time (recreated by new-session -A) is not the old one', () => {
  const d = decideReattach({
    restoreMode: 'tmux',
    before: BEFORE,
    now: now({ tmux: { installed: true, server: 'running', session: 'present', sessionCreated: 1299, panePid: 777 } }),
  });
  assert.equal(d.outcome === 'new-session' && d.reason, 'session-killed');
});

test('no facts about tmux: the has-session result decides; neither: unknown', () => {
  const facts = now({ tmux: {} });
  assert.equal(decideReattach({ restoreMode: 'tmux', before: BEFORE, now: facts, hasSession: true }).outcome, 'restored');
  const gone = decideReattach({ restoreMode: 'tmux', before: BEFORE, now: facts, hasSession: false });
  assert.equal(gone.outcome === 'new-session' && gone.reason, 'session-killed');
  const unknown = decideReattach({ restoreMode: 'tmux', before: {}, now: emptyServerFacts() });
  assert.equal(unknown.outcome === 'new-session' && unknown.reason, 'unknown');
});

test('plain shell: always a new shell, with the notice', () => {
  const d = decideReattach({ restoreMode: 'plain-shell', before: BEFORE, now: now() });
  assert.equal(d.outcome === 'new-session' && d.reason, 'plain-shell');
  assert.match(d.notice ?? '', /the old shell is gone/);
});

test('tmux uninstalled since connect', () => {
  const d = decideReattach({ restoreMode: 'tmux', before: BEFORE, now: now({ tmux: { installed: false } }) });
  assert.equal(d.outcome === 'new-session' && d.reason, 'tmux-missing');
});

test('server changes: sshd restarted, session process killed, reused pid', () => {
  const c = compareServerFacts(
    BEFORE,
    now({
      sshdMasterPid: 11,
      sshdMasterStart: 1250,
      pids: [
        { pid: 500, alive: false },
        { pid: 501, alive: true, startEpoch: 1280 }, // a new process with the old pid
      ],
    }),
  );
  assert.equal(c.rebooted, false);
  assert.equal(c.sshdRestarted, true);
  assert.equal(c.sshdMasterStart, 1250);
  assert.equal(c.sshdSessionGone, true);
  assert.equal(c.channelGone, true);
  assert.ok(c.evidence.some((e) => e.startsWith('sshd restarted: listener pid 10 → 11')));
  assert.ok(c.evidence.includes('our sshd session process 500 is gone'));
});

test('server changes: everything survived (idle-timeout shape)', () => {
  const c = compareServerFacts(BEFORE, now());
  assert.equal(c.rebooted, false);
  assert.equal(c.sshdRestarted, false);
  assert.equal(c.sshdSessionGone, false);
  assert.equal(c.channelGone, false);
  assert.equal(c.tmuxSessionGone, false);
});

test('OOM lines older than the record are left out', () => {
  const c = compareServerFacts(
    BEFORE,
    now({ oom: [{ text: 'old', bootSeconds: 10 }, { text: 'Out of memory: Killed process 500 (sshd)', bootSeconds: 1100 }] }),
  );
  assert.deepEqual(c.oomSinceConnect, ['Out of memory: Killed process 500 (sshd)']);
  assert.ok(c.evidence.some((e) => e.startsWith('kernel OOM:')));
});

test('has-session command and result', () => {
  assert.equal(hasSessionCommand('tether-ab'), "tmux -L tether has-session -t '=tether-ab'");
  assert.equal(hasSessionCommand("x'y", { path: '/s' }), String.raw`tmux -S /s has-session -t '=x'\''y'`);
  assert.equal(sessionExistsFromExec({ stdout: '', stderr: '', code: 0 }), true);
  assert.equal(sessionExistsFromExec({ stdout: '', stderr: "can't find session: x", code: 1 }), false);
  assert.equal(sessionExistsFromExec({ stdout: '', stderr: 'tmux: not found', code: 127 }), undefined);
  assert.equal(sessionExistsFromExec({ stdout: '', stderr: '', code: null }), undefined);
});

test('identity never read (reset in the first moments): a session created after ours had started is a new one', () => {
  const early: SessionRecord = { recordedAt: 1000, bootId: BOOT, tmuxInstalled: true, sessionStartedBy: 1001 };
  const recreated = now({ tmux: { installed: true, server: 'running', session: 'present', sessionCreated: 1290, panePid: 700 } });
  const d = decideReattach({ restoreMode: 'tmux', before: early, now: recreated });
  assert.equal(d.outcome, 'new-session');
  assert.equal(d.outcome === 'new-session' ? d.reason : '', 'session-killed');
  assert.ok(d.evidence.some((e) => /after ours had started/.test(e)), d.evidence.join('; '));
  // ours (created within the second the shell answered, clock rounding allowed) survived
  for (const created of [1000, 1001, 1002]) {
    const same = now({ tmux: { installed: true, server: 'running', session: 'present', sessionCreated: created, panePid: 600 } });
    assert.equal(decideReattach({ restoreMode: 'tmux', before: early, now: same }).outcome, 'restored', `created ${created}`);
  }
  // an older session of that name (tether --session work, reattached at start) survived too
  const older = now({ tmux: { installed: true, server: 'running', session: 'present', sessionCreated: 400, panePid: 600 } });
  assert.equal(decideReattach({ restoreMode: 'tmux', before: early, now: older }).outcome, 'restored');
  // without the bound, as before: nothing to compare with
  const { sessionStartedBy: _, ...unbounded } = early;
  assert.equal(compareServerFacts(unbounded, recreated).tmuxSessionGone, undefined);
});

test('a session made again within the same second (same creation time) is told apart by its tmux id', () => {
  const before: SessionRecord = { ...BEFORE, tmuxSessionId: '700/$0' };
  const again = (id: string): ServerFacts => now({ tmux: { installed: true, server: 'running', session: 'present', sessionCreated: 992, panePid: 601, sessionId: id } });
  const d = decideReattach({ restoreMode: 'tmux', before, now: again('700/$1') });
  assert.equal(d.outcome, 'new-session');
  assert.ok(d.evidence.some((e) => e.includes('700/$0 → 700/$1')), d.evidence.join('; '));
  assert.equal(decideReattach({ restoreMode: 'tmux', before, now: again('812/$0') }).outcome, 'new-session', 'a new server');
  assert.equal(decideReattach({ restoreMode: 'tmux', before, now: again('700/$0') }).outcome, 'restored', 'another pane active, same session');
});
