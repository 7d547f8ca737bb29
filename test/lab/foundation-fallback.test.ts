// Options tether cannot honour run the system ssh with the same argv against the real sshd: one line why (none with
// -q), and the system ssh's result. A PATH shim named `ssh` logs every argv it gets, proving who ran with what.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dest, keyOptions, report, tempDir, tetherInClient } from '../helpers/foundation.js';
import { startLab } from './index.js';

/** A directory with an `ssh` that logs its argv (one line, args joined by ' ') and execs the real one. */
function sshShim(dir: string): { path: string; log: string } {
  const log = join(dir, 'ssh-calls.log');
  const shim = join(dir, 'ssh');
  writeFileSync(shim, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec /usr/bin/ssh "$@"\n`);
  chmodSync(shim, 0o755);
  return { path: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, log };
}

/** The logged ssh calls that were not `ssh -G` (tether's config lookups). */
function connectingCalls(log: string): string[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('-G '));
}

interface Case {
  readonly name: string;
  readonly args: (dir: string) => string[];
  readonly reason: string;
}

const cases: Case[] = [
  {
    name: 'ControlMaster',
    args: (dir) => ['-o', 'ControlMaster=yes', '-o', `ControlPath=${join(dir, 'cm-%C')}`],
    reason: 'ControlMaster (-M, connection sharing) is not implemented',
  },
  { name: '-X', args: () => ['-X'], reason: 'X11 forwarding (-X/-Y, ForwardX11) is not implemented' },
];

test('unsupported options run the system ssh with the same argv', { timeout: 90_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const home = tempDir(t, 'fallback');

  for (const c of cases) {
    await t.test(`${c.name}: one line why, then the system ssh's result`, async (st) => {
      const dir = tempDir(st, 'shim');
      const shim = sshShim(dir);
      const argv = [...c.args(dir), ...keyOptions(lab), dest(lab), 'echo fallback-ok; exit 3'];
      const r = await tetherInClient(lab, home, argv, { env: { PATH: shim.path } });
      report(st, `fallback ${c.name}`, argv, r);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout.toString(), 'fallback-ok\n');
      assert.equal(r.stderr, `tether: ${c.reason}; running the system ssh instead\n`, 'exactly one line on stderr');
      assert.deepEqual(connectingCalls(shim.log), [argv.join(' ')], 'the system ssh ran once, with the same argv');

      const quiet = ['-q', ...argv];
      const q = await tetherInClient(lab, home, quiet, { env: { PATH: shim.path } });
      report(st, `fallback ${c.name} -q`, quiet, q);
      assert.equal(q.code, 3, q.stderr);
      assert.equal(q.stdout.toString(), 'fallback-ok\n');
      assert.equal(q.stderr, '', 'no line with -q');
      assert.deepEqual(connectingCalls(shim.log), [argv.join(' '), quiet.join(' ')]);
    });
  }

  await t.test('a supported command line never runs the system ssh to connect', async (st) => {
    const dir = tempDir(st, 'shim');
    const shim = sshShim(dir);
    const argv = [...keyOptions(lab), dest(lab), 'echo native; sleep 0.1'];
    const r = await tetherInClient(lab, home, argv, { env: { PATH: shim.path } });
    report(st, 'no fallback', argv, r);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'native\n');
    assert.equal(r.stderr, '');
    assert.deepEqual(connectingCalls(shim.log), [], 'only ssh -G ran');
    assert.ok(readFileSync(shim.log, 'utf8').split('\n').some((l) => l.startsWith('-G ')), 'the shim was on PATH: tether asked it for ssh -G');
  });
});
