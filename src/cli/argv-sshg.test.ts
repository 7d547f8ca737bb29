// The argv table: for each real-world command line, what tether parses must agree with what the real `ssh -G` reports.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LocalContext } from '../config/effective.js';
import { parseDump, toEffectiveConfig } from '../config/effective.js';
import type { EffectiveConfig } from '../config/types.js';
import { commandLine, parseArgv } from './argv.js';
import { loadEffectiveConfig } from './argv-config.js';
import type { ConnectArgs } from './argv-types.js';

const hasSsh = ((): boolean => {
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = hasSsh ? false : 'no ssh binary on PATH: the table is checked against the real `ssh -G`';

// ssh expands ~ with the passwd home (not $HOME): the comparison uses the same.
const local: LocalContext = {
  home: userInfo().homedir,
  localUser: userInfo().username,
  localHostname: hostname(),
  uid: userInfo().uid,
  env: { PATH: process.env.PATH, SSH_AUTH_SOCK: '/tmp/agent.sock' },
};
const noSsh: LocalContext = { ...local, env: { ...local.env, PATH: '/nonexistent-dir' } };

let dir = '';
let cfg = '';

/** The real ssh's view of the same argv (the command words included: ssh parses them too). */
function realSshG(argv: readonly string[]): EffectiveConfig {
  const out = execFileSync('ssh', ['-G', ...argv], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'ignore'] });
  return toEffectiveConfig(parseDump(out), local);
}

/** The fields the comparison covers: everything but the raw dump (which carries ssh 9.2's dump quirks). */
function semantic(c: EffectiveConfig): Omit<EffectiveConfig, 'raw'> {
  const { raw: _raw, ...rest } = c;
  return rest;
}

interface Row {
  argv: string[];
  user?: string;
  host?: string;
  port?: number;
  command?: string;
  tty?: EffectiveConfig['requestTTY'];
  check?: (c: EffectiveConfig, p: ConnectArgs) => void;
}

const me = userInfo().username;
const TABLE: Row[] = [
  { argv: ['-p2222', 'host'], user: me, host: 'host', port: 2222, command: '' },
  { argv: ['-p', '2222', 'host'], port: 2222 },
  { argv: ['-tt', 'host', 'cmd'], tty: 'force', command: 'cmd' },
  { argv: ['-t', 'host'], tty: 'yes' },
  { argv: ['-t', '-T', 'host'], tty: 'no' },
  { argv: ['-T', '-t', 'host'], tty: 'yes' },
  { argv: ['-oServerAliveInterval=5', '-J', 'a,b', 'c'], host: 'c', check: (c) => {
    assert.equal(c.serverAliveInterval, 5);
    assert.deepEqual(c.proxyJump, ['a', 'b']);
  } },
  { argv: ['-L', '5432:db:5432', '-N', 'bastion'], host: 'bastion', command: '', check: (c) => {
    assert.deepEqual(c.localForwards, [{ bindPort: 5432, hostAddress: 'db', hostPort: 5432 }]);
    assert.equal(c.sessionType, 'none');
  } },
  { argv: ['-i', '$DIR/key', '-i', '/nonexistent/key', '-l', 'root', 'host', 'ls', '-la'], user: 'root', command: 'ls -la', check: (c) => {
    assert.deepEqual(c.identityFiles, [`${dir}/key`]); // ssh drops an -i file it cannot stat
  } },
  { argv: ['-i', '/nonexistent/key', 'host'], check: (c) => assert.equal(c.identityFiles[0], `${local.home}/.ssh/id_rsa`) },
  { argv: ['-N', '-t', 'host'], tty: 'yes' },
  { argv: ['-t', '-N', 'host'], tty: 'no' },
  { argv: ['user@host', '--', 'ls'], user: 'user', host: 'host', command: 'ls' },
  { argv: ['ssh://u@h:2200'], user: 'u', host: 'h', port: 2200 },
  { argv: ['ssh://h'], user: me, host: 'h', port: 22 },
  { argv: ['-vvv', 'host'], check: (c) => assert.equal(c.logLevel, 'DEBUG3') },
  { argv: ['-v', 'host'], check: (c) => assert.equal(c.logLevel, 'DEBUG1') },
  { argv: ['-q', 'host'], check: (c) => assert.equal(c.logLevel, 'QUIET') },
  { argv: ['-4', '-C', '-A', 'host'], check: (c) => {
    assert.equal(c.addressFamily, 'inet');
    assert.equal(c.compression, true);
    assert.equal(c.forwardAgent, true);
  } },
  { argv: ['-6', '-a', 'host'], check: (c) => {
    assert.equal(c.addressFamily, 'inet6');
    assert.equal(c.forwardAgent, false);
  } },
  { argv: ['alias'], host: 'alias', user: 'aliasuser', port: 2201, check: (c) => assert.equal(c.hostname, '198.18.0.7') },
  { argv: ['host', '-p', '2222', 'ls', '-p', '3'], port: 2222, command: 'ls -p 3' },
  { argv: ['host', '-l', 'bob', '-t'], user: 'bob', tty: 'yes', command: '' },
  { argv: ['--', 'host', '-p', '5'], port: 22, command: '-p 5' },
  { argv: ['host', '--', '-p', '5'], port: 22, command: '-p 5' },
  { argv: ['-p', '1', '-p', '2', 'host'], port: 1 },
  { argv: ['u1@host', '-l', 'u2'], user: 'u1' },
  { argv: ['-l', 'u2', 'u1@host'], user: 'u2' },
  { argv: ['-o', 'Port=99', '-p', '2222', 'host'], port: 99 },
  { argv: ['-p', '2222', '-oPort=99', 'host'], port: 2222 },
  { argv: ['a@b@host'], user: 'a@b', host: 'host' },
  { argv: ['-R', '8080:localhost:80', '-D', '1080', '-D', '127.0.0.1:1081', 'host'], check: (c) => {
    assert.deepEqual(c.remoteForwards, [{ bindPort: 8080, hostAddress: 'localhost', hostPort: 80 }]);
    assert.deepEqual(c.dynamicForwards, [{ bindPort: 1080 }, { bindAddress: '127.0.0.1', bindPort: 1081 }]);
  } },
  { argv: ['-L', '[::1]:8080:[fe80::1]:80', '-L', '/tmp/a.sock:/tmp/b.sock', 'host'], check: (c) => {
    assert.deepEqual(c.localForwards, [
      { bindAddress: '::1', bindPort: 8080, hostAddress: 'fe80::1', hostPort: 80 },
      { bindSocket: '/tmp/a.sock', hostSocket: '/tmp/b.sock' },
    ]);
  } },
  { argv: ['-Atx', '-p2200', '-lroot', 'host', 'uptime'], user: 'root', port: 2200, tty: 'yes', command: 'uptime', check: (c) => {
    assert.equal(c.forwardAgent, true);
    assert.equal(c.forwardX11, false);
  } },
  { argv: ['-e', '^A', '-o', 'StrictHostKeyChecking=accept-new', 'host'], check: (c) => {
    assert.equal(c.escapeChar, '\x01');
    assert.equal(c.strictHostKeyChecking, 'accept-new');
  } },
  { argv: ['-e', 'none', '-o', 'RequestTTY=force', 'host'], tty: 'force', check: (c) => assert.equal(c.escapeChar, 'none') },
  { argv: ['fw'], host: 'fw', check: (c) => {
    assert.equal(c.hostname, 'real.example');
    assert.deepEqual(c.localForwards, [{ bindPort: 5432, hostAddress: 'db', hostPort: 5432 }]);
    assert.equal(c.identityFiles[0], `${local.home}/.ssh/k_real.example_22_${me}`);
    assert.deepEqual(c.setEnv, { A: '1', B: 'x y' });
    assert.deepEqual(c.sendEnv, ['LANG', 'LC_*']);
  } },
  { argv: ['-R', '8022', '-R', '0:localhost:80', 'host'], check: (c) => {
    assert.deepEqual(c.remoteForwards, [{ bindPort: 8022, remoteSocks: true }, { bindPort: 0, hostAddress: 'localhost', hostPort: 80 }]);
  } },
  { argv: ['-W', 'db:5432', '-L', '1:h:2', 'host'], tty: 'no', check: (c) => assert.deepEqual(c.localForwards, []) },
  { argv: ['-o', 'ProxyCommand=nc %h %p', '-o', 'ControlPath=~/.ssh/cm-%C', '-o', 'ControlMaster=auto', 'host'], check: (c) => {
    assert.equal(c.proxyCommand, 'nc host 22');
    assert.equal(c.controlMaster, 'auto');
    assert.match(c.controlPath ?? '', /\/\.ssh\/cm-[0-9a-f]{40}$/);
  } },
  { argv: ['-J', 'u@j1:2222,j2', '-o', 'ProxyCommand=nc %h %p', 'host'], check: (c) => {
    assert.deepEqual(c.proxyJump, ['u@j1:2222', 'j2']);
    assert.equal(c.proxyCommand, undefined);
  } },
  { argv: ['-n', '-f', '-N', 'host'], check: (c) => {
    assert.equal(c.stdinNull, true);
    assert.equal(c.forkAfterAuthentication, true);
  } },
];

describe('argv table against the real ssh -G', { skip }, () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tether-argv-'));
    cfg = join(dir, 'config');
    writeFileSync(
      cfg,
      [
        'Host alias',
        '  HostName 198.18.0.7',
        '  User aliasuser',
        '  Port 2201',
        'Host fw',
        '  HostName real.example',
        '  LocalForward 5432 db:5432',
        '  IdentityFile ~/.ssh/k_%h_%p_%r',
        '  SetEnv A=1 B="x y"',
        '  SendEnv LANG LC_*',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'key'), 'not a real key\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const row of TABLE) {
    test(row.argv.join(' '), async () => {
      const argv = ['-F', cfg, ...row.argv.map((a) => a.replace('$DIR', dir))];
      const real = realSshG(argv);
      const parsed = parseArgv(argv);
      assert.equal(parsed.kind, 'connect');
      if (parsed.kind !== 'connect') return;
      // sshArgs + destination, handed to ssh -G, must mean what the whole argv meant.
      const viaSsh = await loadEffectiveConfig(parsed, local);
      assert.equal(viaSsh.source, 'ssh -G');
      assert.deepEqual(semantic(viaSsh.config), semantic(real));
      // Without an ssh binary, the fallback must reach the same configuration.
      const viaFallback = await loadEffectiveConfig(parsed, noSsh);
      assert.equal(viaFallback.source, 'fallback');
      assert.deepEqual(semantic(viaFallback.config), semantic(real));
      if (row.user !== undefined) assert.equal(real.user, row.user);
      if (row.host !== undefined) assert.equal(real.host, row.host);
      if (row.port !== undefined) assert.equal(real.port, row.port);
      if (row.tty !== undefined) assert.equal(real.requestTTY, row.tty);
      if (row.command !== undefined) assert.equal(commandLine(parsed), row.command);
      row.check?.(real, parsed);
    });
  }

  test('no -F: the user\'s ~/.ssh/config and the system ssh_config (Debian Includes ssh_config.d), both routes agree', async () => {
    const parsed = parseArgv(['-p', '2022', 'somehost', 'uptime']);
    assert.equal(parsed.kind, 'connect');
    if (parsed.kind !== 'connect') return;
    const viaSsh = await loadEffectiveConfig(parsed, local);
    const viaFallback = await loadEffectiveConfig(parsed, noSsh);
    assert.equal(viaFallback.source, 'fallback');
    assert.deepEqual(semantic(viaFallback.config), semantic(viaSsh.config));
    assert.equal(viaSsh.config.port, 2022);
  });

  test('an -i file that does not exist: ssh\'s warning, from both routes', async () => {
    const parsed = parseArgv(['-F', cfg, '-i', '/nonexistent/key', 'host']);
    assert.equal(parsed.kind, 'connect');
    if (parsed.kind !== 'connect') return;
    const expected = ['Warning: Identity file /nonexistent/key not accessible: No such file or directory.'];
    assert.deepEqual((await loadEffectiveConfig(parsed, local)).warnings, expected);
    assert.deepEqual((await loadEffectiveConfig(parsed, noSsh)).warnings, expected);
  });
});
