// parseArgv(): getopt details, destination forms, tether's own options, and OpenSSH's error messages.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { TetherError } from '../common/errors.js';
import { commandLine, parseArgv } from './argv.js';
import { parseDestination } from './argv-destination.js';
import type { ConnectArgs } from './argv-types.js';
import { NO_HOST_USAGE, SSH_USAGE, TETHER_SHORT_USAGE, sshStderr } from './argv-usage.js';

function connect(argv: string[]): ConnectArgs {
  const p = parseArgv(argv);
  assert.equal(p.kind, 'connect');
  return p as ConnectArgs;
}

function usageError(argv: string[]): TetherError {
  try {
    parseArgv(argv);
  } catch (err) {
    assert.ok(err instanceof TetherError);
    assert.equal(err.kind, 'usage');
    return err;
  }
  assert.fail(`expected a usage error for ${argv.join(' ')}`);
}

const hasSsh = spawnSync('ssh', ['-V']).status === 0;

describe('getopt as OpenSSH has it', () => {
  test('combined flags count', () => {
    const p = connect(['-vvv', '-tt', '-At', 'h']);
    assert.equal(p.flags.verbose, 3);
    assert.equal(p.flags.tty, 3);
    assert.equal(p.flags.forwardAgent, true);
  });
  test('attached and separate values, a flag group ending in a value', () => {
    const p = connect(['-p2222', '-lroot', '-oServerAliveInterval=5', '-o', 'User=x', '-Cp', '22', 'h']);
    assert.equal(p.flags.port, 2222);
    assert.equal(p.flags.login, 'root');
    assert.deepEqual(p.flags.options, ['ServerAliveInterval=5', 'User=x']);
    assert.equal(p.flags.compression, true);
    assert.deepEqual(p.sshArgs, ['-p2222', '-lroot', '-oServerAliveInterval=5', '-o', 'User=x', '-Cp', '22']);
  });
  test('a separate value may look like an option', () => {
    const p = connect(['-b', '-x', 'h']);
    assert.equal(p.flags.bindAddress, '-x');
    assert.equal(p.destination, 'h');
  });
  test('options after the destination, then the command; options inside the command stay there', () => {
    const p = connect(['h', '-p', '5', '-t', 'ls', '-la', '-p', '6']);
    assert.equal(p.flags.port, 5);
    assert.equal(p.flags.tty, 1);
    assert.deepEqual(p.command, ['ls', '-la', '-p', '6']);
    assert.equal(commandLine(p), 'ls -la -p 6');
    assert.deepEqual(p.sshArgv, ['h', '-p', '5', '-t', 'ls', '-la', '-p', '6']);
  });
  test('"--" before the destination: no option parsing after it', () => {
    const p = connect(['-A', '--', 'h', '-p', '5']);
    assert.equal(p.flags.port, undefined);
    assert.deepEqual(p.command, ['-p', '5']);
  });
  test('"--" after the destination ends options', () => {
    const p = connect(['h', '--', '-p', '5']);
    assert.deepEqual(p.command, ['-p', '5']);
  });
  test('the command words are joined with single spaces, quoting is the shell\'s business', () => {
    assert.equal(commandLine(connect(['h', 'echo', 'a b', 'c'])), 'echo a b c');
  });
  test('first -p / -l win; last -t/-T wins; -F last', () => {
    const p = connect(['-p', '1', '-p', '2', '-l', 'a', '-l', 'b', '-t', '-T', '-F', 'x', '-F', 'y', 'h']);
    assert.equal(p.flags.port, 1);
    assert.equal(p.flags.login, 'a');
    assert.equal(p.flags.noTty, true);
    assert.equal(p.flags.configFile, 'y');
  });
  test('-P is a no-op flag in OpenSSH 9.2 (no argument)', () => {
    assert.equal(connect(['-P', 'h']).destination, 'h');
  });
  test('a lone "-" ends the options (and is then refused as a hostname)', () => {
    assert.equal(usageError(['-']).message, 'hostname contains invalid characters');
  });
});

describe('destinations', () => {
  test('forms', () => {
    assert.deepEqual(parseDestination('h'), { raw: 'h', host: 'h' });
    assert.deepEqual(parseDestination('u@h'), { raw: 'u@h', user: 'u', host: 'h' });
    assert.deepEqual(parseDestination('a@b@h'), { raw: 'a@b@h', user: 'a@b', host: 'h' });
    assert.deepEqual(parseDestination('ssh://u@h:2200'), { raw: 'ssh://u@h:2200', user: 'u', host: 'h', port: 2200 });
    assert.deepEqual(parseDestination('ssh://h/'), { raw: 'ssh://h/', host: 'h' });
    assert.deepEqual(parseDestination('ssh://u%40x;fp=1@h'), { raw: 'ssh://u%40x;fp=1@h', user: 'u@x', host: 'h' });
  });
  test('what ssh rejects with its usage', () => {
    for (const bad of ['@h', 'ssh://u@[::1]:22', 'ssh://h/path', 'ssh://h:0', 'ssh://@h', 'ssh://-h']) {
      assert.equal(parseDestination(bad), undefined, bad);
      assert.match(usageError([bad]).message, /^usage: ssh/);
    }
  });
});

describe('tether options and subcommands', () => {
  test('--session, --no-tmux, --no-status before the destination, removed from the ssh argv', () => {
    const p = connect(['--session', 'work', '-A', '--no-tmux', '--no-status', 'h', 'ls']);
    assert.deepEqual(p.tether, { session: 'work', noTmux: true, noStatus: true });
    assert.deepEqual(p.sshArgv, ['-A', 'h', 'ls']);
    assert.equal(connect(['--session=x', 'h']).tether.session, 'x');
  });
  test('after the command starts, --no-tmux is a command word', () => {
    const p = connect(['h', 'ls', '--no-tmux']);
    assert.equal(p.tether.noTmux, false);
    assert.deepEqual(p.command, ['ls', '--no-tmux']);
  });
  test('--help and --version', () => {
    assert.deepEqual(parseArgv(['--help']), { kind: 'help' });
    assert.deepEqual(parseArgv(['-A', '--version']), { kind: 'version' });
  });
  test('subcommands only as the first argument; a host so named via -- or ssh://', () => {
    assert.deepEqual(parseArgv(['history', 'web', '--json']), { kind: 'subcommand', name: 'history', args: ['web', '--json'] });
    assert.deepEqual(parseArgv(['demo']), { kind: 'subcommand', name: 'demo', args: [] });
    assert.equal(connect(['--', 'history']).target.host, 'history');
    assert.equal(connect(['ssh://doctor']).target.host, 'doctor');
    assert.equal(connect(['-p', '22', 'sessions']).target.host, 'sessions');
  });
  test('-V and -Q go to the system ssh before anything else is checked', () => {
    assert.deepEqual(parseArgv(['-V', '-z']), { kind: 'system-ssh', sshArgv: ['-V', '-z'], reason: '-V prints the OpenSSH version' });
    assert.equal(parseArgv(['--no-tmux', '-Q', 'cipher']).kind, 'system-ssh');
  });
  test('--session without a name', () => {
    assert.match(usageError(['--session']).message, /--session needs a NAME/);
  });
});

describe('bad input: OpenSSH\'s messages', () => {
  test('unknown option', () => {
    assert.equal(usageError(['-z', 'h']).message, `unknown option -- z\r\n${SSH_USAGE}`);
    assert.equal(usageError(['h', '-x', '-z']).message, `unknown option -- z\r\n${SSH_USAGE}`);
    assert.equal(usageError(['--bogus', 'h']).message, `unknown option -- -\r\n${SSH_USAGE}`);
  });
  test('missing argument', () => {
    assert.equal(usageError(['-p']).message, `option requires an argument -- p\r\n${SSH_USAGE}`);
    assert.equal(usageError(['h', '-l']).message, `option requires an argument -- l\r\n${SSH_USAGE}`);
  });
  test('no destination', () => {
    // ssh's usage, then tether's short one naming `tether demo`
    assert.equal(usageError([]).message, NO_HOST_USAGE);
    assert.ok(NO_HOST_USAGE.startsWith(`${SSH_USAGE}\n\ntether: `));
    assert.match(NO_HOST_USAGE, /tether demo +start here/);
    assert.equal(usageError(['-A']).message, NO_HOST_USAGE);
  });
  test('bad values', () => {
    assert.equal(usageError(['-p', '0', 'h']).message, "Bad port '0'");
    assert.equal(usageError(['-p', 'abc', 'h']).message, "Bad port 'abc'");
    assert.equal(usageError(['-L', 'foo', 'h']).message, "Bad local forwarding specification 'foo'");
    assert.equal(usageError(['-D', 'x', 'h']).message, "Bad dynamic forwarding specification 'x'");
    assert.equal(usageError(['-W', 'foo', 'h']).message, "Bad stdio forwarding specification 'foo'");
    assert.equal(usageError(['-e', 'xx', 'h']).message, "Bad escape character 'xx'.");
    assert.equal(usageError(['-1', 'h']).message, 'SSH protocol v.1 is no longer supported');
    assert.match(usageError(['-J', 'a', '-J', 'b', 'h']).message, /^Only a single -J option is permitted/);
    assert.equal(usageError(['--', '-h']).message, 'hostname contains invalid characters');
    assert.equal(usageError(["h'x"]).message, 'hostname contains invalid characters');
    assert.equal(usageError(['-l', '-x', '--', '-h']).message, 'remote username contains invalid characters');
  });

  // The same bytes as the real ssh prints (stderr, exit 255).
  const realCases: string[][] = [['-z', 'h'], ['-p'], ['h', '-l'], ['-p', 'abc', 'h'], ['-L', 'foo', 'h'], ['-e', 'xx', 'h'], [], ['@h'], ['--', '-h'], ['-l', '-x', 'h'], ['-1', 'h'], ['-J', 'a', '-J', 'b', 'h'], ['-p', '0', 'h']];
  for (const argv of realCases) {
    test(`matches the real ssh: ssh ${argv.join(' ')}`, { skip: hasSsh ? false : 'no ssh binary' }, () => {
      const r = spawnSync('ssh', ['-G', '-F', '/dev/null', ...argv], { encoding: 'utf8' });
      assert.equal(r.status, 255);
      const ours = sshStderr(usageError(argv).message);
      // no host: ssh's usage, byte for byte, then tether's short usage (where to start)
      if (argv.length === 0) assert.equal(ours, `${r.stderr}\n${TETHER_SHORT_USAGE}\n`);
      else assert.equal(ours, r.stderr);
    });
  }
});
