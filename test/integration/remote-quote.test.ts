// shQuote against real shells: what the remote shell receives is exactly the string we meant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shJoin, shQuote } from '../../src/remote/shell-quote.js';
import { localExec } from './remote-harness.js';

const NASTY = [
  '',
  ' ',
  "it's",
  "'",
  "''",
  '\\',
  "a\\'b",
  'x\\\\y',
  '$HOME',
  '${HOME}',
  '$(id -u)',
  '`id -u`',
  '"double" quotes',
  'tab\there',
  'new\nline',
  '* ? [a-z] ~ ~root',
  '!history !!',
  '; rm -rf /tmp/never & | < > ( ) { }',
  '=tether',
  '-n',
  '#comment',
  'ünï çødé ✓',
  '\u001b[31mred',
];

for (const shell of ['/bin/dash', '/bin/bash']) {
  test(`every nasty string survives ${shell} unchanged`, async () => {
    const exec = localExec(shell);
    for (const s of NASTY) {
      const r = await exec(`printf '%s' ${shQuote(s)}`);
      assert.equal(r.stdout, s, JSON.stringify(s));
    }
    const all = await exec(`printf '%s\\0' ${shJoin(NASTY)}`);
    assert.deepEqual(all.stdout.split('\0').slice(0, -1), NASTY);
  });
}
