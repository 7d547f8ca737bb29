import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConfig, renderFindings, renderStep } from './render.js';
import type { Finding } from './types.js';

const STEP = { step: 'tcp', mark: 'fail', text: 'TCP h:22: refused' } as const;

test('a step: a mark on a terminal, a word when piped, an object with --json', () => {
  assert.equal(renderStep(STEP, 'tty'), '✗ TCP h:22: refused\n');
  assert.equal(renderStep({ ...STEP, mark: 'ok' }, 'tty'), '✓ TCP h:22: refused\n');
  assert.equal(renderStep({ ...STEP, mark: 'warn' }, 'tty'), '! TCP h:22: refused\n');
  assert.equal(renderStep(STEP, 'plain'), 'FAIL TCP h:22: refused\n');
  assert.deepEqual(JSON.parse(renderStep(STEP, 'json')), { type: 'step', ...STEP });
});

const IDLE: Finding = {
  id: 'idle-limit',
  severity: 'warn',
  title: 'the path drops idle connections after about 20 s',
  evidence: ['died after 22.2 s'],
  advice: ['check the firewall'],
  config: [
    { file: '~/.ssh/config', lines: ['Host web', '    ServerAliveInterval 10'] },
    { file: '/etc/ssh/sshd_config', lines: ['ClientAliveInterval 10', 'ClientAliveCountMax 3'] },
  ],
};
const SERVER: Finding = {
  id: 'server-keepalive',
  severity: 'info',
  title: 'sshd sends no keep-alives',
  evidence: [],
  advice: [],
  config: [{ file: '/etc/ssh/sshd_config', lines: ['ClientAliveInterval 60', 'ClientAliveCountMax 3'] }],
};

test('findings end with the lines to add, one block per file, first value of a setting kept', () => {
  const text = renderFindings([IDLE, SERVER], 'plain');
  assert.match(text, /^\nFindings:\nwarn the path drops idle connections after about 20 s\n {4}evidence: died after 22\.2 s\n {4}- check the firewall\n/);
  assert.ok(
    text.endsWith(
      'Lines to add:\n  add to ~/.ssh/config:\n      Host web\n          ServerAliveInterval 10\n' +
        '  add to /etc/ssh/sshd_config:\n      ClientAliveInterval 10\n      ClientAliveCountMax 3\n',
    ),
    text,
  );
  assert.deepEqual(mergeConfig([SERVER, IDLE])[0], { file: '/etc/ssh/sshd_config', lines: ['ClientAliveInterval 60', 'ClientAliveCountMax 3'] });
});

test('no findings: says so; --json: one object per finding', () => {
  assert.match(renderFindings([], 'tty'), /✓ nothing wrong found/);
  const lines = renderFindings([IDLE, SERVER], 'json').trim().split('\n');
  assert.equal(lines.length, 2);
  assert.deepEqual(JSON.parse(lines[0] ?? ''), { type: 'finding', ...IDLE });
});
