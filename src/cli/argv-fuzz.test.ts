// Seeded random command lines (options before and after the host, a command, a config with Include/Host/Match):
// tether's parse + both configuration routes must agree with the real `ssh -G` on every one.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LocalContext } from '../config/effective.js';
import { parseDump, toEffectiveConfig } from '../config/effective.js';
import { parseArgv } from './argv.js';
import { loadEffectiveConfig } from './argv-config.js';

const hasSsh = ((): boolean => {
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const local: LocalContext = { home: userInfo().homedir, localUser: userInfo().username, localHostname: hostname(), uid: userInfo().uid, env: { PATH: process.env.PATH } };
const noSsh: LocalContext = { ...local, env: { PATH: '/nonexistent-dir' } };

const POOL: string[][] = [
  ['-4'], ['-6'], ['-A'], ['-a'], ['-C'], ['-t'], ['-T'], ['-N'], ['-n'], ['-q'], ['-v'], ['-x'], ['-g'], ['-k'], ['-s'], ['-f'], ['-M'], ['-Y'],
  ['-p', '2200'], ['-p3300'], ['-l', 'bob'], ['-lamy'], ['-i', '/nonexistent'], ['-e', '^B'], ['-c', 'aes256-ctr'], ['-m', 'hmac-sha2-256'],
  ['-L', '1:h:2'], ['-R', '3:h:4'], ['-D', '5'], ['-J', 'j1,j2'],
  ['-o', 'Port=99'], ['-oUser=ozzy'], ['-o', 'RequestTTY=force'], ['-o', 'LogLevel=ERROR'], ['-o', 'ServerAliveInterval=9'],
  ['-o', 'AddressFamily=inet6'], ['-o', 'ForwardAgent=yes'], ['-o', 'ProxyJump=pj'], ['-o', 'ProxyJump=none'], ['-o', 'ProxyCommand=nc %h %p'],
  ['-o', 'ProxyCommand=none'], ['-o', 'EscapeChar=%'], ['-o', 'StrictHostKeyChecking=no'], ['-o', 'KexAlgorithms=+diffie-hellman-group1-sha1'],
  ['-o', 'Ciphers=-aes128*'], ['-o', 'HostKeyAlgorithms=^ssh-rsa'], ['-o', 'SetEnv=X=1'], ['-o', 'SetEnv=A=1 B=2'], ['-o', 'SendEnv=FOO'],
  ['-o', 'UserKnownHostsFile=~/kh_%h'], ['-o', 'HostName=alt-%h'], ['-o', 'HostKeyAlias=alias1'], ['-o', 'IdentityAgent=~/ag_%r'],
  ['-o', 'RemoteCommand=echo %u'], ['-o', 'ClearAllForwardings=yes'], ['-o', 'BatchMode=yes'], ['-o', 'ControlPath=/tmp/c_%C'],
  ['-o', 'ControlMaster=auto'], ['-o', 'SessionType=subsystem'], ['-o', 'SessionType=none'], ['-o', 'ForkAfterAuthentication=yes'],
  ['-o', 'IdentityFile=~/x_%h'], ['-o', 'CertificateFile=~/c_%r'], ['-o', 'LocalForward=8080 [::1]:80'], ['-o', 'RemoteForward=7777'],
  ['-o', 'DynamicForward=127.0.0.1:9'], ['-o', 'ConnectTimeout=3'], ['-o', 'PreferredAuthentications=publickey'],
];
const DESTINATIONS = ['h', 'u@h', 'ssh://w@h:2022', 'ssh://h', 'Mixed.Case', 'x.case', 'bob@q', 'nomatch', 'q'];

/** A small deterministic generator (high bits of an LCG), so a failure reproduces. */
function generator(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.floor(s / 65536) % n;
  };
}

function semantic(c: object): string {
  return JSON.stringify({ ...c, raw: undefined });
}

describe('random command lines against the real ssh -G', { skip: hasSsh ? false : 'no ssh binary to compare with' }, () => {
  let dir = '';
  let cfg = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tether-fuzz-'));
    mkdirSync(join(dir, 'd'));
    cfg = join(dir, 'config');
    writeFileSync(join(dir, 'd', 'a.conf'), 'Host ssh*\n  Port 2\nMatch localuser root\n  HashKnownHosts yes\n');
    writeFileSync(
      cfg,
      [
        `Include ${dir}/d/*.conf`,
        'Host h !nomatch',
        '  Port 2020',
        '  IdentityFile ~/.ssh/h_%r_%p',
        '  LocalForward 7000 127.0.0.1:7001',
        'Host *.case',
        '  User caseuser',
        'Match user bob',
        '  ServerAliveInterval 44',
        'Match originalhost Mixed.Case',
        '  Compression yes',
        '  HostName %h.example',
        'Match host alt-*',
        '  ForwardAgent yes',
        'Match final all',
        '  ConnectTimeout 11',
        'Host *',
        '  User defuser',
        '  RequestTTY yes',
        '  RemoteForward 9000 localhost:9001',
        '  DynamicForward 1081',
        '  SetEnv Z=9',
        '  StrictHostKeyChecking accept-new',
        '  EscapeChar ^A',
        '',
      ].join('\n'),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('150 seeded command lines: same configuration (or both refused)', async () => {
    const rnd = generator(20261122);
    let refused = 0;
    for (let i = 0; i < 150; i++) {
      const argv = ['-F', cfg];
      for (let k = rnd(5); k > 0; k--) argv.push(...(POOL[rnd(POOL.length)] ?? []));
      argv.push(DESTINATIONS[rnd(DESTINATIONS.length)] ?? 'h');
      for (let k = rnd(3); k > 0; k--) argv.push(...(POOL[rnd(POOL.length)] ?? []));
      if (rnd(2) === 1) argv.push('cmd', '-p', '1');
      let real: string;
      try {
        const out = execFileSync('ssh', ['-G', ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        real = semantic(toEffectiveConfig(parseDump(out), local));
      } catch {
        real = 'refused';
        refused++;
      }
      let viaSsh: string;
      let viaFallback: string;
      try {
        const parsed = parseArgv(argv);
        if (parsed.kind !== 'connect') throw new Error(parsed.kind);
        viaSsh = semantic((await loadEffectiveConfig(parsed, local)).config);
        viaFallback = semantic((await loadEffectiveConfig(parsed, noSsh)).config);
      } catch {
        viaSsh = viaFallback = 'refused';
      }
      assert.equal(viaSsh, real, `ssh -G route: ${JSON.stringify(argv)}`);
      assert.equal(viaFallback, real, `fallback route: ${JSON.stringify(argv)}`);
    }
    // The pool must produce both kinds, or the comparison proves little.
    assert.ok(refused > 5 && refused < 100, `refused ${refused}`);
  });
});
