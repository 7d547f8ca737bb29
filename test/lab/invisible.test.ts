// The invisible session against real sshd + tmux: while healthy, `tether host` looks like `ssh host` (the terminal's
// own scrollback, the user's own tmux, Ctrl-b to the program, no tmux status line); an outage's output reaches the
// scrollback once, in order; after a reboot the new shell starts in the old directory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { healCase } from '../helpers/tether-lab-case.js';
import { remoteShellPid, typeLine, waitForOutage, waitForRestore } from '../helpers/tether-lab.js';
import type { TetherRun } from '../helpers/tether-lab.js';

/** The numbers n of the lines `PREFIX-n` in the terminal (scrollback and screen), in order of appearance. */
function numbered(r: TetherRun, prefix: string): number[] {
  const re = new RegExp(`^${prefix}-(\\d+)$`);
  return r.driver.allLines().flatMap((l) => {
    const m = re.exec(l);
    return m ? [Number(m[1])] : [];
  });
}

function oneToN(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

test('healthy: scrollback, the user\'s own tmux, Ctrl-b and no tmux status line, as under ssh', { timeout: 120_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start }) => {
    const r = await start();
    typeLine(r, 'for i in $(seq 1 500); do echo row-$i; done; echo DONE-$((6*7))');
    await r.driver.waitForText(/^DONE-42$/m, 20_000);
    assert.deepEqual(numbered(r, 'row'), oneToN(500), 'all 500 lines in the terminal\'s scrollback, once, in order');
    assert.doesNotMatch(r.driver.screenText(), /\[tether-|\d:[a-z]+\*/, 'no tmux status line on the screen');

    typeLine(r, 'echo "TMUX=[$TMUX]"; tmux ls 2>&1 | head -1');
    await r.driver.waitForText(/^TMUX=\[\]$/m, 10_000);
    await r.driver.waitForText(/no server running|error connecting to \/tmp\/tmux-\d+\/default/, 10_000);

    typeLine(r, 'cat -v');
    await new Promise((res) => setTimeout(res, 300));
    r.driver.write('\x02x\r');
    await r.driver.waitForText(/^\^Bx$/m, 10_000);
    r.driver.write('\x04');

    typeLine(r, 'tmux new -s mine');
    await r.driver.waitForText(/\[mine\]/, 15_000);
    typeLine(r, 'tmux detach');
    await r.driver.waitForText(/\[detached \(from session mine\)\]/, 15_000);
    const own = await lab.execInServer('su', ['-s', '/bin/sh', '-c', 'tmux ls', lab.user]);
    assert.match(own.stdout, /^mine:/m, 'the user\'s own tmux server has their session');
    assert.doesNotMatch(own.stdout, /tether-/, 'and none of tether\'s');
  });
});

test('output printed during a 5 s outage reaches the scrollback once, in order', { timeout: 120_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start }) => {
    const r = await start();
    const pid = await remoteShellPid(r, 'before');
    const since = r.trace().length;
    typeLine(r, 'for i in $(seq 1 300); do echo out-$i; sleep 0.03; done; echo END-$((6*7))');
    await r.driver.waitForText(/^out-20$/m, 10_000);
    await lab.blackhole();
    r.driver.write('\r'); // typing into a silent link is what makes it suspect within a second
    await waitForOutage(r, 15_000, since);
    await new Promise((res) => setTimeout(res, 5000));
    await lab.restorePath();
    await waitForRestore(r, 30_000, since);
    await r.driver.waitForText(/^END-42$/m, 20_000);
    assert.deepEqual(numbered(r, 'out'), oneToN(300), 'exactly 300 distinct lines, in order');
    assert.equal(await remoteShellPid(r, 'after'), pid, 'the same shell');
  });
});

test('reboot: the new shell starts in the old shell\'s directory, and the notice says so', { timeout: 120_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start }) => {
    const r = await start();
    typeLine(r, 'mkdir -p ~/kept-dir && cd ~/kept-dir && echo CD-$((6*7))');
    await r.driver.waitForText(/^CD-42$/m, 10_000);
    await new Promise((res) => setTimeout(res, 1500)); // tmux reports the directory once a second
    const notice = r.driver.waitForText(/started in \/home\/[a-z]+\/kept-dir/, 60_000);
    const since = r.trace().length;
    await lab.reboot();
    await waitForOutage(r, 20_000, since);
    await waitForRestore(r, 30_000, since);
    await notice;
    typeLine(r, 'echo "PWD=[$(pwd)]"');
    await r.driver.waitForText(/^PWD=\[\/home\/[a-z]+\/kept-dir\]$/m, 10_000);
  });
});

test('the remote tmux server killed: one line says so, and the exit status is 255 as ssh gives for a killed shell', { timeout: 120_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start }) => {
    const r = await start();
    await remoteShellPid(r, 'before');
    await lab.execInServer('su', ['-s', '/bin/sh', '-c', 'tmux -L tether kill-server', lab.user]);
    const exit = await r.driver.waitForExit(15_000);
    assert.equal(exit.code, 255);
    assert.match(r.driver.output(), /tether: the remote tmux session ended without the shell's exit status[^\r]*\r+\nConnection to [\d.]+ closed\./);
  });
});

test('vim is on screen as it was after a reattach, and keeps working', { timeout: 120_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start }) => {
    const r = await start();
    typeLine(r, 'printf "alpha\\nbravo\\ncharlie\\n" > v.txt; vim -u NONE -N v.txt');
    await r.driver.waitForText(/"v\.txt" 3L/, 15_000);
    const since = r.trace().length;
    await lab.blackhole();
    r.driver.write('\x1b'); // a key vim ignores, so tether looks at the silent link
    await waitForOutage(r, 15_000, since);
    await new Promise((res) => setTimeout(res, 3000));
    await lab.restorePath();
    await waitForRestore(r, 30_000, since);
    await r.driver.waitFor(() => r.driver.lineAt(0) === 'alpha' && r.driver.lineAt(2) === 'charlie' && r.driver.lineAt(3).trim() === '~', 10_000, "vim's screen back");
    r.driver.write('Gox-ray\x1b:wq\r');
    await r.driver.waitFor(() => r.driver.term.buffer.active.type === 'normal', 10_000, 'vim gone');
    await new Promise((res) => setTimeout(res, 300)); // keys typed before the shell reads again may be flushed
    typeLine(r, 'tail -n 1 v.txt | tr a-z A-Z');
    await r.driver.waitForText(/^X-RAY$/m, 15_000);
  });
});
