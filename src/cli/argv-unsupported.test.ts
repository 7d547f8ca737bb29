// unsupported(): each row of the table fires on its own input, and a plain command line passes.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { parseDump, toEffectiveConfig } from '../config/effective.js';
import type { EffectiveConfig } from '../config/types.js';
import { parseArgv } from './argv.js';
import type { ConnectArgs } from './argv-types.js';
import { UNSUPPORTED_REASONS, unsupported } from './argv-unsupported.js';
import type { Probe } from './argv-unsupported.js';

const local = { home: '/home/u', localUser: 'u', localHostname: 'box', uid: 1000, env: {} };

/** A config as `ssh -G` would print it, with `extra` lines added. */
function config(extra: string[] = []): EffectiveConfig {
  const dump = [
    ...extra, // first value wins, so the case's lines come before the defaults
    'host h',
    'hostname h',
    'user u',
    'port 22',
    'controlmaster false',
    'gssapiauthentication no',
    'identityfile ~/.ssh/id_ed25519',
    'identityfile ~/.ssh/id_ecdsa_sk',
  ].join('\n');
  return toEffectiveConfig(parseDump(dump), local);
}

function args(argv: string[]): ConnectArgs {
  const p = parseArgv(argv);
  assert.equal(p.kind, 'connect');
  return p as ConnectArgs;
}

/** No file exists unless listed. */
function files(present: Record<string, string>): Probe {
  return { exists: (p) => p in present, readText: (p) => present[p] };
}

describe('unsupported', () => {
  test('a plain command line with the defaults is supported', () => {
    assert.equal(unsupported(args(['-tt', '-A', '-L', '1:h:2', 'h', 'ls']), config(), files({})), undefined);
  });

  const cases: [string, string[], string[], Probe, RegExp][] = [
    ['-G', ['-G', 'h'], [], files({}), /-G/],
    ['-M', ['-M', 'h'], [], files({}), /ControlMaster/],
    ['ControlMaster auto', ['h'], ['controlmaster auto'], files({}), /ControlMaster/],
    ['-S', ['-S', '/tmp/cm', 'h'], [], files({}), /ControlPath/],
    ['a ControlPath whose master socket exists', ['h'], ['controlpath /tmp/cm-h'], files({ '/tmp/cm-h': '' }), /ControlPath/],
    ['-O', ['-O', 'check', 'h'], [], files({}), /-O/],
    ['-f', ['-f', 'h', 'sleep', '1'], [], files({}), /-f/],
    ['-X', ['-X', 'h'], [], files({}), /X11/],
    ['ForwardX11 yes', ['h'], ['forwardx11 yes'], files({}), /X11/],
    ['-w', ['-w', '0:0', 'h'], [], files({}), /tun/],
    ['-W', ['-W', 'db:5432', 'h'], [], files({}), /-W/],
    ['-K', ['-K', 'h'], [], files({}), /GSSAPI/],
    ['GSSAPI with a ticket', ['h'], ['gssapiauthentication yes'], { ...files({ '/tmp/krb5cc_1000': '' }), uid: 1000 }, /GSSAPI/],
    ['-I', ['-I', '/usr/lib/p11.so', 'h'], [], files({}), /PKCS#11/],
    ['an sk- key', ['h'], [], files({ '/home/u/.ssh/id_ecdsa_sk': 'x', '/home/u/.ssh/id_ecdsa_sk.pub': 'sk-ecdsa-sha2-nistp256@openssh.com AAAA' }), /FIDO/],
    ['CertificateFile', ['h'], ['certificatefile ~/.ssh/c.pub'], files({ '/home/u/.ssh/c.pub': 'x' }), /certificate/],
    ['a -cert.pub beside a key', ['h'], [], files({ '/home/u/.ssh/id_ed25519': 'k', '/home/u/.ssh/id_ed25519-cert.pub': 'c' }), /certificate/],
    ['LocalCommand', ['h'], ['permitlocalcommand yes', 'localcommand echo hi'], files({}), /LocalCommand/],
    ['ProxyCommand', ['h'], ['proxycommand nc %h %p'], files({}), /ProxyCommand/],
    ['unix socket forward', ['-L', '/tmp/a.sock:/tmp/b.sock', 'h'], ['localforward /tmp/a.sock /tmp/b.sock'], files({}), /unix sockets/],
    ['remote SOCKS', ['h'], ['remoteforward 8022 [socks]:0'], files({}), /SOCKS/],
  ];
  for (const [name, argv, extra, probe, reason] of cases) {
    test(name, () => {
      assert.match(unsupported(args(argv), config(extra), probe) ?? '(supported)', reason);
    });
  }

  test('GSSAPI without a Kerberos ticket is not a reason (Debian turns it on for every host)', () => {
    assert.equal(unsupported(args(['h']), config(['gssapiauthentication yes']), { ...files({}), uid: 1000, env: {} }), undefined);
  });
  test('an _sk default name that does not exist is not a reason', () => {
    assert.equal(unsupported(args(['h']), config(), files({})), undefined);
  });
  test('capabilities switch rows off', () => {
    const probe: Probe = { ...files({}), capabilities: { proxyCommand: true, stdioForward: true } };
    assert.equal(unsupported(args(['h']), config(['proxycommand nc %h %p']), probe), undefined);
    assert.equal(unsupported(args(['-W', 'db:1', 'h']), config(), probe), undefined);
  });
  test('one reason per row, one line each', () => {
    assert.ok(UNSUPPORTED_REASONS.length >= 20);
    for (const r of UNSUPPORTED_REASONS) assert.doesNotMatch(r, /\n/);
  });
});
