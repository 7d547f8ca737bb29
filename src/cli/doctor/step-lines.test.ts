import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyServerFacts } from '../../remote/evidence-parse.js';
import { serverLines, sshdMasterText } from './step-lines.js';
import { NOT_OUR_SSHD } from './server-step.js';

test('the sshd master is reported only when it serves this session; otherwise "not known"', () => {
  const f = { ...emptyServerFacts(), complete: true, sshdMasterPid: 900, sshdMasterStart: 1_700_000_000 };
  assert.equal(sshdMasterText({ ...f, sshdMasterSource: 'ancestry' }), 'sshd master pid 900, started 2023-11-14T22:13:20Z');
  assert.equal(sshdMasterText({ ...f, sshdMasterSource: 'self' }), 'sshd master pid 900, started 2023-11-14T22:13:20Z');
  assert.match(sshdMasterText({ ...f, sshdMasterSource: 'pidfile' }), /^sshd master: not known \(no sshd above this session; the pidfile names pid 900/);
  assert.match(sshdMasterText({ ...f, sshdMasterSource: 'pgrep' }), /^sshd master: not known \(.*pgrep finds pid 900.*may be another server\)$/);
  assert.equal(sshdMasterText(emptyServerFacts()), 'sshd master: not known (no sshd found on the server)');
});

test('what could not be read says "not known", and why', () => {
  const lines = serverLines({ facts: { ...emptyServerFacts(), complete: true, bootId: 'b' }, clientAlive: { source: 'unknown', why: NOT_OUR_SSHD } });
  const text = lines.map((l) => l.text).join('\n');
  assert.match(text, /up not known/);
  assert.match(text, /load not known; MemAvailable not known/);
  assert.match(text, /sshd keep-alive: not known \(no sshd above this session/);
  assert.doesNotMatch(text, /unknown/);
});
