// Fuzz: the ssh command line. Any argv parses or fails with a usage TetherError; what tether hands to ssh (its argv
// without tether's own options) means to ssh exactly what the user typed; tether's options change nothing of ssh's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fc, fuzz, tetherOnly } from '../../test/helpers/fuzz.js';
import { parseArgv, SUBCOMMANDS } from './argv.js';
import type { ParsedArgv } from './argv-types.js';

const WITH_VALUE = [...'bcDeEFiIJlLmoOpQRSwW'];
const FLAGS = [...'1246afgkMnNqstvxAaCGKPTVXYy'];
const value = fc.oneof(fc.constantFrom('22', '2200', 'bob', 'Port=99', 'User=x', '5432:db:5432', '1080', '--no-tmux', '--session', '-v', 'host', ''), fc.string({ maxLength: 10 }));
/** argv words: options (separate, attached, combined), tether's long options, destinations, "--", junk. */
const word = fc.oneof(
  fc.constantFrom(...FLAGS).map((l) => [`-${l}`]),
  fc.tuple(fc.constantFrom(...WITH_VALUE), value).map(([l, v]) => [`-${l}`, v]),
  fc.tuple(fc.constantFrom(...WITH_VALUE), value).map(([l, v]) => [`-${l}${v}`]),
  fc.array(fc.constantFrom(...FLAGS), { minLength: 2, maxLength: 4 }).map((ls) => [`-${ls.join('')}`]),
  fc.constantFrom(['--no-tmux'], ['--no-status'], ['--session', 'work'], ['--session=x'], ['--'], ['--bogus'], ['-']),
  fc.constantFrom(['host'], ['u@h'], ['ssh://w@h:2022'], ['ssh://h'], ['h:22'], ['echo'], ['ls -l'], ['history']),
  fc.string({ maxLength: 12 }).map((s) => [s]),
);
const argv = fc.array(word, { maxLength: 10 }).map((ws) => ws.flat());

/** What ssh makes of a parse: everything but the argv echoes. */
function meaning(p: ParsedArgv): unknown {
  if (p.kind !== 'connect') return p.kind === 'system-ssh' ? { kind: p.kind, reason: p.reason } : { kind: p.kind };
  return { kind: p.kind, target: p.target, command: p.command, flags: p.flags, sequence: p.sequence, sshArgs: p.sshArgs };
}

test('any argv parses or fails with a usage error and a clear message', (t) => {
  fuzz(t, 'argv any', fc.oneof(argv, fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 8 })), (a) => {
    const r = tetherOnly(() => parseArgv(a), a.join(' '));
    if (!r.ok) assert.equal(r.error.kind, 'usage', r.error.message);
  });
});

test("the argv handed to ssh means what the user typed, without tether's options", (t) => {
  fuzz(t, 'argv ssh argv round trip', argv, (a) => {
    const r = tetherOnly(() => parseArgv(a), a.join(' '));
    if (!r.ok || (r.value.kind !== 'connect' && r.value.kind !== 'system-ssh')) return;
    const sshArgv = r.value.sshArgv;
    // `tether --no-tmux history` connects to a host named history; tether alone would read ssh's argv as a subcommand
    fc.pre(!(SUBCOMMANDS as readonly string[]).includes(sshArgv[0] ?? ''));
    let i = 0;
    for (const w of sshArgv) {
      while (i < a.length && a[i] !== w) i++;
      assert.ok(i++ < a.length, 'ssh gets the words typed, in order, none added');
    }
    const again = tetherOnly(() => parseArgv(sshArgv), a.join(' '));
    assert.ok(again.ok, `ssh's argv parses: ${JSON.stringify(sshArgv)}`);
    const plain = { ...(again.value.kind === 'connect' ? { ...again.value, tether: undefined } : again.value) };
    assert.deepEqual(meaning(plain as ParsedArgv), meaning(r.value), `${JSON.stringify(a)} → ${JSON.stringify(sshArgv)}`);
    if (again.value.kind === 'connect') assert.deepEqual(again.value.tether, { noTmux: false, noStatus: false }, 'no tether option left');
  });
});

test("tether's long options before the destination change nothing of what ssh sees", (t) => {
  const longs = fc.array(fc.constantFrom(['--no-tmux'], ['--no-status'], ['--session', 'w1'], ['--session=w2']), { minLength: 1, maxLength: 3 }).map((l) => l.flat());
  fuzz(t, 'argv tether options', fc.tuple(argv, longs), ([a, extra]) => {
    const base = tetherOnly(() => parseArgv(a), a.join(' '));
    fc.pre(base.ok && base.value.kind === 'connect' && a[0] !== undefined && !(SUBCOMMANDS as readonly string[]).includes(a[0]));
    const withLongs = tetherOnly(() => parseArgv([...extra, ...a]), a.join(' '));
    assert.ok(withLongs.ok, withLongs.ok ? '' : withLongs.error.message);
    assert.deepEqual(meaning(withLongs.value), meaning(base.ok ? base.value : withLongs.value));
    if (withLongs.value.kind === 'connect' && base.ok && base.value.kind === 'connect') assert.deepEqual(withLongs.value.sshArgv, base.value.sshArgv);
  });
});
