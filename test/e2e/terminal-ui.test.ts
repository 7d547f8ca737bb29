// End-to-end: TerminalUI in a real pty (the ui-demo fixture, a local bash as "the remote"),
// the screen read through @xterm/headless as a user would see it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startDemo, demoArgv, q, ROOT, type Demo } from '../helpers/pty-demo.js';
import { PtyDriver } from '../helpers/pty-driver.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { killAllDrivers } from '../helpers/pty-driver.js';

after(killAllDrivers);

const PROMPT = /demo\$ $/m;

/** Runs a test body with a started demo, always cleaned up. */
async function withDemo(opts: Parameters<typeof startDemo>[0], body: (demo: Demo) => Promise<void>): Promise<void> {
  const demo = await startDemo(opts);
  try {
    await demo.d.waitForText(PROMPT, 20_000);
    await body(demo);
  } finally {
    demo.close();
  }
}

/** Ends the demo with `~.` and checks the local terminal modes came back exactly. */
async function quitAndCheckRestored(demo: Demo): Promise<void> {
  demo.d.write('\r~.');
  await demo.d.waitForText(/stty-saved/, 15_000);
  assert.match(demo.d.screenText(), /demo-exit=255/);
  const { before, after: afterText } = demo.sttyBeforeAfter();
  assert.equal(afterText, before);
}

for (const [cols, rows] of [
  [80, 24],
  [300, 100],
] as const) {
  test(`status bar text in each state at ${cols}x${rows}`, async () => {
    await withDemo({ cols, rows }, async ({ d, control }) => {
      await control({ status: { state: 'connected', rttMs: 12, resetsToday: 2, lastCause: 'idle-timeout' } });
      await d.waitFor(() => /^ demo-host │ connected │ rtt 12 ms │ last: idle-timeout/.test(d.lineAt(-1)), 5000, 'connected bar');
      await control({ status: { state: 'suspect' } });
      await d.waitFor(() => d.lineAt(-1).includes('│ no reply, checking │'), 5000, 'suspect bar');
      await control({ status: { state: 'down', heldKeys: 4 } });
      await d.waitFor(() => /│ link down │ 4 keys held/.test(d.lineAt(-1)), 5000, 'down bar');
      await control({ status: { state: 'reconnecting', attempt: 3, nextTryInMs: 60_000 } });
      await d.waitFor(() => /│ reconnecting #3, next try in (60|59) s/.test(d.lineAt(-1)), 5000, 'reconnecting bar');
      await control({ status: { state: 'restoring', heldKeys: 0 } });
      await d.waitFor(() => d.lineAt(-1).includes('│ restoring session │'), 5000, 'restoring bar');
      await control({ flash: 'link down 12 s: firewall forgot the idle connection after ≤ 30 s; keep-alive now 15 s' });
      await d.waitFor(() => d.lineAt(-1).startsWith(' link down 12 s: firewall forgot'), 5000, 'restore message');
      if (cols >= 300) assert.match(d.lineAt(-1), /keep-alive now 15 s/);
      // the remote pty is one row shorter
      d.write('stty size\r');
      await d.waitForText(new RegExp(`^${rows - 1} ${cols}$`, 'm'));
      assert.equal(d.screenText().split('\n').length, rows);
    });
  });
}

test('clear and long output never touch the bar; ~b hides and shows it', async () => {
  await withDemo({}, async ({ d }) => {
    d.write('seq 1 500\r');
    await d.waitForText(/^500\ndemo\$ $/m);
    assert.match(d.lineAt(-1), /^ (demo-host|tether)/);
    assert.match(d.lineAt(-2), /^demo\$ $/);
    d.write('clear\r');
    await d.waitFor(() => d.lineAt(0).startsWith('demo$') && !d.screenText().includes('500'), 5000, 'cleared');
    assert.match(d.lineAt(-1), /^ (demo-host|tether)/);
    d.write('printf "\\033[r\\033[24;1Hlast-row\\033c"; printf "\\033[99;1Hclamped\\n"\r');
    await d.waitForText(/clamped\ndemo\$ $/m);
    assert.match(d.lineAt(-1), /^ (demo-host|tether)/);
    assert.doesNotMatch(d.lineAt(-1), /last-row|clamped/);
    d.write('\r~b');
    await d.waitFor(() => d.lineAt(-1).trim() === '', 5000, 'bar hidden');
    d.write('~b');
    await d.waitFor(() => /^ (demo-host|tether)/.test(d.lineAt(-1)), 5000, 'bar shown');
  });
});

test('vim opens, edits and saves through the UI; the bar survives the alternate screen', async () => {
  await withDemo({}, async (demo) => {
    const { d, dir } = demo;
    const file = join(dir, 'edit.txt');
    writeFileSync(file, 'first line\n');
    d.write(`vim -u NONE -N ${file}\r`);
    await d.waitForText(/first line/);
    await d.waitFor(() => /edit\.txt/.test(d.lineAt(-2)), 5000, 'vim status line on the last remote row');
    await d.waitFor(() => /^ (demo-host|tether)/.test(d.lineAt(-1)), 5000, 'the bar below vim');
    d.write('Goadded by e2e\x1b');
    await d.waitForText(/added by e2e/);
    d.write(':wq\r');
    await d.waitForText(PROMPT);
    assert.equal(readFileSync(file, 'utf8'), 'first line\nadded by e2e\n');
    assert.match(d.lineAt(-1), /^ (demo-host|tether)/);
    await quitAndCheckRestored(demo);
  });
});

test('less on a long file pages and quits; the bar stays', async () => {
  await withDemo({}, async ({ d, dir }) => {
    const file = join(dir, 'long.txt');
    writeFileSync(file, Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    d.write(`less ${file}\r`);
    await d.waitForText(/^line 22$/m);
    assert.equal(d.lineAt(0), 'line 1');
    assert.match(d.lineAt(-2), /long\.txt|^:/);
    assert.match(d.lineAt(-1), /^ (demo-host|tether)/);
    d.write(' ');
    await d.waitForText(/^line 44$/m);
    d.write('G');
    await d.waitForText(/^line 1000$/m);
    assert.match(d.lineAt(-1), /^ (demo-host|tether)/);
    d.write('q');
    await d.waitForText(PROMPT);
  });
});

test('a resize during output: the bar moves to the new last row, the remote gets rows-1', async () => {
  await withDemo({}, async ({ d }) => {
    d.write('for i in $(seq 1 3000); do echo "out $i"; done; echo finished\r');
    await d.waitForText(/out \d+/);
    d.resize(100, 30);
    await d.waitForText(/^finished$/m, 20_000);
    d.write('stty size\r');
    await d.waitForText(/^29 100$/m);
    await d.waitFor(() => /^ (demo-host|tether)/.test(d.lineAt(29)), 5000, 'bar on row 30');
    d.resize(60, 15);
    await d.waitFor(() => /^ (demo-host|tether)/.test(d.lineAt(14)), 5000, 'bar on row 15');
    d.write('stty size\r');
    await d.waitForText(/^14 60$/m);
  });
});

test('outage panel appears over the frame, keys are held, and the frame comes back intact', async () => {
  await withDemo({}, async ({ d, control }) => {
    d.write('for i in $(seq 1 30); do echo "frame row $i"; done\r');
    await d.waitForText(/frame row 30/);
    await d.waitForText(PROMPT);
    const before = d.screenText().split('\n').slice(0, -1).join('\n');
    await control({ outage: { cause: 'idle-timeout', confidence: 'likely', evidence: ['silent for 301 s'], attempt: 2, nextTryInMs: 9000, downForMs: 12_000 } });
    await d.waitForText(/The link to demo-host is down \(12 s\)/);
    await d.waitForText(/Cause so far: idle-timeout \(likely\)/);
    await d.waitForText(/r {2}retry now +~\. {2}quit/);
    await control({ status: { state: 'reconnecting', attempt: 2, nextTryInMs: 9000 } });
    d.write('echo typed-in-outage\r');
    await d.waitFor(() => d.lineAt(-1).includes('keys held'), 5000, 'held keys on the bar');
    assert.doesNotMatch(d.screenText(), /typed-in-outage/);
    await control({ hide: true });
    await control({ status: { state: 'connected' } });
    await d.waitFor(() => !/link to demo-host is down/.test(d.screenText()), 5000, 'panel gone');
    await d.waitForText(/^typed-in-outage$/m);
    const after = d.screenText().split('\n');
    // the frame before the outage, scrolled by the held command's two lines
    const expected = before.split('\n').slice(2).join('\n');
    assert.equal(after.slice(0, before.split('\n').length - 3).join('\n'), expected.split('\n').slice(0, -1).join('\n'));
  });
});

test('started mid-screen: the frame stays put across an outage (cursor report syncs the model)', async () => {
  await withDemo({ before: 'for i in 1 2 3 4 5 6 7; do echo "local line $i"; done' }, async ({ d, control }) => {
    d.write('echo marker-one\r');
    await d.waitForText(/^marker-one\ndemo\$ $/m);
    const row = d.screenText().split('\n').indexOf('marker-one');
    assert.ok(row >= 7, `marker printed below the local lines (row ${row})`);
    await control({ outage: { cause: 'network' } });
    await d.waitForText(/Cause so far: network/);
    await control({ hide: true });
    await d.waitFor(() => !/link to demo-host is down/.test(d.screenText()), 5000, 'panel gone');
    assert.equal(d.lineAt(row), 'marker-one');
    d.write('echo marker-two\r');
    await d.waitForText(/^marker-two$/m);
    assert.equal(d.lineAt(row + 2), 'marker-two');
  });
});

test('~? shows help until the next key; ~. ends the session and restores the terminal', async () => {
  await withDemo({}, async (demo) => {
    const { d } = demo;
    d.write('\r~?');
    await d.waitForText(/~\. {3}- terminate connection/);
    await d.waitForText(/~b {3}- toggle the status bar/);
    d.write(' '); // closes the panel, and is not typed
    await d.waitFor(() => !/terminate connection/.test(d.screenText()), 10_000, 'the help panel closed');
    d.write('echo hi\r');
    await d.waitForText(/^hi$/m);
    assert.doesNotMatch(d.screenText(), /terminate connection/);
    await quitAndCheckRestored(demo);
  });
});

test('~. while vim is open: alternate screen left, modes reset, stty restored', async () => {
  await withDemo({}, async (demo) => {
    const { d } = demo;
    d.write('vim -u NONE -N\r');
    await d.waitFor(() => d.term.buffer.active.type === 'alternate', 10_000, 'vim in the alternate screen');
    d.write('\x1b:set mouse=a\r');
    await quitAndCheckRestored(demo);
    assert.equal(d.term.buffer.active.type, 'normal');
    assert.equal(d.term.modes.mouseTrackingMode, 'none');
    assert.equal(d.term.modes.bracketedPasteMode, false);
    assert.equal(d.term.modes.applicationCursorKeysMode, false);
  });
});

test('SIGTERM restores the terminal before dying', async () => {
  await withDemo({}, async (demo) => {
    const { d } = demo;
    d.write('kill -TERM $PPID\r');
    await d.waitForText(/stty-saved/, 15_000);
    assert.match(d.screenText(), /demo-exit=143/);
    const { before, after: afterText } = demo.sttyBeforeAfter();
    assert.equal(afterText, before);
  });
});

test('an uncaught exception restores the terminal too', async () => {
  await withDemo({}, async (demo) => {
    const { d } = demo;
    d.write('vim -u NONE -N\r');
    await d.waitFor(() => d.term.buffer.active.type === 'alternate', 10_000, 'vim in the alternate screen');
    await demo.control({ crash: 'boom from the e2e test' });
    await d.waitForText(/stty-saved/, 15_000);
    assert.match(d.screenText(), /Error: boom from the e2e test/);
    assert.match(d.screenText(), /demo-exit=1$/m);
    assert.equal(d.term.buffer.active.type, 'normal');
    const { before, after: afterText } = demo.sttyBeforeAfter();
    assert.equal(afterText, before);
  });
});

test('--no-status: full height raw pass-through, no bar', async () => {
  await withDemo({ flags: ['--no-status'] }, async ({ d }) => {
    d.write('stty size\r');
    await d.waitForText(/^24 80$/m);
    assert.doesNotMatch(d.screenText(), /demo-host|tether/);
  });
});

for (const term of ['xterm-256color', 'tmux-256color']) {
  test(`no terminfo warnings with TERM=${term}`, async () => {
    await withDemo({ env: { TERM: term } }, async (demo) => {
      demo.d.write('echo $TERM\r');
      await demo.d.waitForText(new RegExp(`^${term}$`, 'm'));
      assert.doesNotMatch(demo.d.output(), /Error on|Setulc|WARNING/);
      await quitAndCheckRestored(demo);
    });
  });
}

test('tmux inside: its status line above our bar, its mouse mode passes through, resize follows', async () => {
  const sock = `tether-e2e-${process.pid}`;
  try {
    await withDemo(
      { cmd: ['tmux', '-L', sock, '-f', '/dev/null', 'new-session', "env PS1='demo$ ' bash --norc --noprofile -i"] },
      async ({ d }) => {
        await d.waitFor(() => /\[0\] 0:bash\*/.test(d.lineAt(-2)), 10_000, 'tmux status on the last remote row');
        await d.waitFor(() => /^ (demo-host|tether)/.test(d.lineAt(-1)), 5000, 'our bar below tmux');
        d.write(`tmux -L ${sock} set -g mouse on; echo "in-tmux 漢字😀"\r`);
        await d.waitForText(/^in-tmux 漢字😀$/m);
        await d.waitFor(() => d.term.modes.mouseTrackingMode !== 'none', 5000, 'tmux mouse mode on the local terminal');
        d.resize(100, 30);
        await d.waitFor(() => /\[0\] 0:bash\*/.test(d.lineAt(28)), 10_000, 'tmux status on row 29');
        await d.waitFor(() => /^ (demo-host|tether)/.test(d.lineAt(29)), 5000, 'our bar on row 30');
        d.write('clear; stty size\r');
        await d.waitForText(/^28 100$/m); // tmux takes one more row for its own status
        d.write(`tmux -L ${sock} kill-server\r`);
        await d.waitForText(/stty-saved/, 10_000);
        assert.equal(d.term.modes.mouseTrackingMode, 'none');
        assert.equal(d.term.buffer.active.type, 'normal');
      },
    );
  } finally {
    spawnSync('tmux', ['-L', sock, 'kill-server'], { stdio: 'ignore' });
  }
});

test('~^Z suspends under a job-control shell with the terminal restored; fg brings the frame back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-e2e-'));
  const d = new PtyDriver('bash', ['--norc', '--noprofile', '-i'], { cwd: ROOT, env: { PS1: 'outer$ ' } });
  try {
    await d.waitForText(/outer\$ $/m);
    d.write(`stty -a > ${q(join(dir, 'before'))}; ${demoArgv(join(dir, 'sock')).map(q).join(' ')}\r`);
    await d.waitForText(/^demo\$ $/m, 20_000);
    d.write('echo before-suspend\r');
    await d.waitForText(/^before-suspend$/m);
    d.write('\r~\x1a');
    await d.waitForText(/Stopped/);
    await d.waitForText(/outer\$ $/m);
    d.write(`stty -a > ${q(join(dir, 'during'))}; echo saved-during\r`);
    await d.waitForText(/^saved-during$/m);
    assert.equal(readFileSync(join(dir, 'during'), 'utf8'), readFileSync(join(dir, 'before'), 'utf8'));
    d.write('fg\r');
    await d.waitFor(() => /^ (demo-host|tether)/.test(d.lineAt(-1)), 10_000, 'the bar back after fg');
    d.write('echo after-resume\r');
    await d.waitForText(/^after-resume$/m);
    d.write('\r~.');
    await d.waitForText(/closed\.\n(.*\n)*outer\$ $/m);
    d.write(`stty -a > ${q(join(dir, 'after'))}; echo saved-after\r`);
    await d.waitForText(/^saved-after$/m);
    assert.equal(readFileSync(join(dir, 'after'), 'utf8'), readFileSync(join(dir, 'before'), 'utf8'));
  } finally {
    d.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('what the remote sets reaches the terminal: title, bell, 256 and true colour, wide characters, cursor keys, bracketed paste; a repaint keeps the cells', async () => {
  await withDemo({}, async (demo) => {
    const { d } = demo;
    const titles: string[] = [];
    let bells = 0;
    d.term.onTitleChange((t) => titles.push(t));
    d.term.onBell(() => bells++);
    d.write(
      'printf "\\033]0;remote-title\\007\\007\\033[?1h\\033[?2004h\\033[38;5;200mP\\033[0m\\033[38;2;10;20;30;1;4mT\\033[0m 漢字😀 end\\n"\r',
    );
    await d.waitForText(/^PT 漢字😀 end$/m);
    await d.waitFor(() => titles.includes('remote-title') && bells > 0, 5000, 'title and bell');
    assert.equal(d.term.modes.applicationCursorKeysMode, true);
    assert.equal(d.term.modes.bracketedPasteMode, true);

    /** The cells of the marked row: the palette colour, the RGB one with bold+underline, the wide ones. */
    const check = (when: string): void => {
      const b = d.term.buffer.active;
      const y = d.screenText().split('\n').findIndex((l) => l === 'PT 漢字😀 end');
      assert.ok(y >= 0, `${when}: the row is on screen`);
      const line = b.getLine(b.viewportY + y);
      const p = line?.getCell(0);
      const t = line?.getCell(1);
      assert.ok(p?.isFgPalette() && p.getFgColor() === 200, `${when}: 256-colour cell`);
      assert.ok(t?.isFgRGB() && t.getFgColor() === ((10 << 16) | (20 << 8) | 30), `${when}: true-colour cell`);
      assert.ok(t?.isBold() && t.isUnderline(), `${when}: bold and underline`);
      assert.equal(line?.getCell(3)?.getWidth(), 2, `${when}: 漢 is two cells wide`);
      assert.equal(line?.getCell(7)?.getChars(), '😀', `${when}: the emoji after the two wide CJK characters`);
      assert.equal(line?.getCell(7)?.getWidth(), 2, `${when}: the emoji is two cells wide`);
    };
    check('as the remote wrote it');
    // ~b twice: the bar goes and comes back, and the remote frame is painted again from tether's model
    d.write('\r~b');
    await d.waitFor(() => d.lineAt(-1).trim() === '', 5000, 'bar hidden');
    d.write('~b');
    await d.waitFor(() => /^ (demo-host|tether)/.test(d.lineAt(-1)), 5000, 'bar shown');
    check('after the repaint');
    assert.equal(d.term.modes.applicationCursorKeysMode, true, 'modes kept across the repaint');
    await quitAndCheckRestored(demo);
    assert.equal(d.term.modes.applicationCursorKeysMode, false, 'cursor keys reset on exit');
    assert.equal(d.term.modes.bracketedPasteMode, false, 'bracketed paste reset on exit');
  });
});
