// toEffectiveConfig(), token expansion and forward specs: the parts of the dump ssh leaves to us.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { parseDump, parseEscapeChar, toEffectiveConfig } from './effective.js';
import { formatForward, parseDumpedDynamicForward, parseDumpedForward, parseDynamicForward, parseForward } from './forwards.js';
import { connectionHash, expandPath, expandTokens } from './tokens.js';
import type { TokenContext } from './tokens.js';

const t: TokenContext = {
  originalHost: 'fw',
  hostname: 'real.example',
  port: 22,
  remoteUser: 'bob',
  localUser: 'root',
  home: '/root',
  localHostname: 'vm.lan',
  uid: 0,
};

describe('tokens', () => {
  test('every token', () => {
    assert.equal(expandTokens('%h %p %r %u %d %L %l %n %i %k %% %j %z', t), 'real.example 22 bob root /root vm vm.lan fw 0 fw % '.concat(' %z'));
  });
  test('%C is sha1(%l%h%p%r) as OpenSSH 9.2 computes it', () => {
    // printf 'vmreal.example22bob' | sha1sum (the same as ssh -G printed for ControlPath %C on host "vm")
    assert.equal(connectionHash({ ...t, localHostname: 'vm' }), '45807297bc4bd6b6a459a2941956b30c6960b27c');
  });
  test('~ then tokens', () => {
    assert.equal(expandPath('~/.ssh/id_%r', t), '/root/.ssh/id_bob');
    assert.equal(expandPath('~', t), '/root');
    assert.equal(expandPath('~other/x', t), '~other/x');
  });
});

describe('forwards', () => {
  test('typed specifications', () => {
    assert.deepEqual(parseForward('5432:db:5432', 'local'), { bindPort: 5432, hostAddress: 'db', hostPort: 5432 });
    assert.deepEqual(parseForward('127.0.0.1:80:web:8080', 'local'), { bindAddress: '127.0.0.1', bindPort: 80, hostAddress: 'web', hostPort: 8080 });
    assert.deepEqual(parseForward('[::1]:80:[fe80::1]:22', 'local'), { bindAddress: '::1', bindPort: 80, hostAddress: 'fe80::1', hostPort: 22 });
    assert.deepEqual(parseForward('/a.sock:/b.sock', 'local'), { bindSocket: '/a.sock', hostSocket: '/b.sock' });
    assert.deepEqual(parseForward('8000:/var/run/x.sock', 'local'), { bindPort: 8000, hostSocket: '/var/run/x.sock' });
    assert.deepEqual(parseForward('0:localhost:80', 'remote'), { bindPort: 0, hostAddress: 'localhost', hostPort: 80 });
    assert.deepEqual(parseForward('8022', 'remote'), { bindPort: 8022, remoteSocks: true });
    assert.equal(parseForward('0:localhost:80', 'local'), undefined);
    assert.equal(parseForward('foo', 'local'), undefined);
    assert.equal(parseForward('1:h:2:3:4', 'local'), undefined);
    assert.deepEqual(parseDynamicForward('1080'), { bindPort: 1080 });
    assert.deepEqual(parseDynamicForward('*:1080'), { bindAddress: '*', bindPort: 1080 });
  });
  test('the forms ssh -G prints, both ways', () => {
    for (const line of ['5432 [db]:5432', '[::1]:8080 [web]:80', '/tmp/l.sock /tmp/r.sock', '[127.0.0.1]:9000 [fe80::1]:22']) {
      const f = parseDumpedForward(line, 'local');
      assert.ok(f !== undefined, line);
      assert.equal(formatForward(f), line);
    }
    assert.equal(formatForward(parseDumpedForward('8022 [socks]:0', 'remote') ?? {}), '8022 [socks]:0');
    assert.equal(parseDumpedDynamicForward('/tmp/l.sock'), undefined); // ssh 9.2 also lists unix -L here
  });
});

describe('toEffectiveConfig', () => {
  const local = { home: '/root', localUser: 'root', localHostname: 'vm', uid: 0, env: { SSH_AUTH_SOCK: '/run/agent', OTHER: '/run/other' } };
  const dump = [
    'host fw',
    'user bob',
    'hostname real.example',
    'port 2222',
    'identityfile ~/.ssh/k_%h_%p_%r',
    'requesttty true',
    'stricthostkeychecking false',
    'escapechar \\^A',
    'proxycommand nc %h %p',
    'proxyjump a,u@b:2',
    'connecttimeout 7',
    'userknownhostsfile /root/.ssh/known_hosts /root/.ssh/known_hosts2',
    'setenv A=1',
    'setenv B=x y',
    'sendenv LANG',
    'sendenv LC_*',
    'localforward 5432 [db]:5432',
    'dynamicforward /tmp/l.sock',
    'dynamicforward 1080',
  ].join('\n');
  const c = toEffectiveConfig(parseDump(dump), local);
  test('values and expansions', () => {
    assert.equal(c.host, 'fw');
    assert.equal(c.port, 2222);
    assert.deepEqual(c.identityFiles, ['/root/.ssh/k_real.example_2222_bob']);
    assert.equal(c.requestTTY, 'yes');
    assert.equal(c.strictHostKeyChecking, 'no');
    assert.equal(c.escapeChar, '\x01');
    assert.equal(c.proxyCommand, 'nc real.example 2222');
    assert.deepEqual(c.proxyJump, ['a', 'u@b:2']);
    assert.equal(c.connectTimeoutMs, 7000);
    assert.deepEqual(c.userKnownHostsFiles, ['/root/.ssh/known_hosts', '/root/.ssh/known_hosts2']);
    assert.deepEqual(c.setEnv, { A: '1', B: 'x y' });
    assert.deepEqual(c.sendEnv, ['LANG', 'LC_*']);
    assert.deepEqual(c.dynamicForwards, [{ bindPort: 1080 }]);
    assert.equal(c.identityAgent, '/run/agent');
    assert.deepEqual(c.raw.sendenv, ['LANG', 'LC_*']);
  });
  test('IdentityAgent forms', () => {
    const agent = (v: string): string | undefined => toEffectiveConfig(parseDump(`host h\nhostname h\nidentityagent ${v}`), local).identityAgent;
    assert.equal(agent('none'), undefined);
    assert.equal(agent('SSH_AUTH_SOCK'), '/run/agent');
    assert.equal(agent('$OTHER'), '/run/other');
    assert.equal(agent('/x/%h'), '/x/h');
  });
  test('escape characters', () => {
    assert.equal(parseEscapeChar('~'), '~');
    assert.equal(parseEscapeChar('none'), 'none');
    assert.equal(parseEscapeChar('\\\\'), '\\');
  });
  test('not a dump', () => {
    assert.throws(() => toEffectiveConfig(parseDump('garbage'), local), /no host\/hostname/);
  });
});
