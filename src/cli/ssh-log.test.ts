import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sshLogLines } from './ssh-log.js';

test('every line ends in CR LF once, as OpenSSH writes its log lines', () => {
  assert.equal(sshLogLines('ssh: connect to host h port 22: Connection refused'), 'ssh: connect to host h port 22: Connection refused\r\n');
  assert.equal(sshLogLines('a\nb\n'), 'a\r\nb\r\n');
  assert.equal(sshLogLines('a\r\nb'), 'a\r\nb\r\n');
  assert.equal(sshLogLines('@@@\n@ WARNING @\n\nend'), '@@@\r\n@ WARNING @\r\n\r\nend\r\n');
});
