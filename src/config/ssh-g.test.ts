// What tether keeps of `ssh -G`'s stderr when the configuration is broken (bytes copied from OpenSSH 9.2).
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { sshErrorLine, sshErrorText } from './ssh-g.js';

describe('sshErrorText', () => {
  test('every bad line and the "terminating" line, in ssh\'s order', () => {
    const stderr =
      '/tmp/c: line 2: Bad configuration option: foo\r\n' +
      '/tmp/c: line 3: Bad configuration option: bar\r\n' +
      '/tmp/c: terminating, 2 bad configuration options\r\n';
    assert.equal(
      sshErrorText(stderr),
      '/tmp/c: line 2: Bad configuration option: foo\n/tmp/c: line 3: Bad configuration option: bar\n/tmp/c: terminating, 2 bad configuration options',
    );
  });

  test('debug and banner noise left out', () => {
    const stderr = 'OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL 3.0.19 27 Jan 2026\r\ndebug1: Reading configuration data /tmp/c\r\n/tmp/c: line 3: Bad configuration option: x\r\n/tmp/c: terminating, 1 bad configuration options\r\n';
    assert.equal(sshErrorText(stderr), '/tmp/c: line 3: Bad configuration option: x\n/tmp/c: terminating, 1 bad configuration options');
  });

  test('a one-line error stays one line', () => {
    assert.equal(sshErrorText("command-line line 0: Bad port 'abc'.\r\n"), "command-line line 0: Bad port 'abc'.");
    assert.equal(sshErrorText("Can't open user config file /x: No such file or directory\r\n"), "Can't open user config file /x: No such file or directory");
  });

  test('sshErrorLine still names the bad line, never the "terminating" one', () => {
    assert.equal(sshErrorLine('/tmp/c: line 3: Bad configuration option: x\n/tmp/c: terminating, 1 bad configuration options\n'), '/tmp/c: line 3: Bad configuration option: x');
  });
});
