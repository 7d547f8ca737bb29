// The resolver used without an ssh binary must print what `ssh -G` prints: Include, Host patterns, Match.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TetherError } from '../common/errors.js';
import { parseDump, toEffectiveConfig } from './effective.js';
import type { LocalContext } from './effective.js';
import { resolveWithoutSsh } from './fallback.js';
import type { CommandLineSetting } from './fallback.js';
import { resolveEffectiveConfig } from './ssh-g.js';
import type { EffectiveConfig } from './types.js';

const hasSsh = ((): boolean => {
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const local: LocalContext = {
  home: userInfo().homedir,
  localUser: userInfo().username,
  localHostname: hostname(),
  uid: userInfo().uid,
  env: { PATH: process.env.PATH },
};

let dir = '';
let cfg = '';

function semantic(c: EffectiveConfig): Omit<EffectiveConfig, 'raw'> {
  const { raw: _raw, ...rest } = c;
  return rest;
}

function real(args: readonly string[]): EffectiveConfig {
  const out = execFileSync('ssh', ['-G', '-F', cfg, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return toEffectiveConfig(parseDump(out), local);
}

function fallback(host: string, settings: CommandLineSetting[] = [], warn: (m: string) => void = () => undefined): EffectiveConfig {
  return toEffectiveConfig(resolveWithoutSsh({ host, settings, configFile: cfg, local, warn }), local);
}

describe('fallback resolver vs ssh -G', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tether-fallback-'));
    mkdirSync(join(dir, 'conf.d'));
    cfg = join(dir, 'config');
    writeFileSync(
      join(dir, 'conf.d', '10-web.conf'),
      ['Host web-*', '  User deploy', '  ServerAliveInterval 15', 'Host *.internal', '  ProxyJump bastion', ''].join('\n'),
    );
    writeFileSync(join(dir, 'conf.d', '20-db.conf'), ['Host db', '  HostName 198.18.0.20', '  Port 5433', ''].join('\n'));
    writeFileSync(join(dir, 'conf.d', 'ignored.txt'), 'Port 1\n');
    writeFileSync(join(dir, 'inner.conf'), ['Port 2022', 'Host other', '  Port 9', ''].join('\n'));
    writeFileSync(
      cfg,
      [
        `Include ${dir}/conf.d/*.conf`,
        'Host web-* !web-legacy',
        '  Port 2200',
        '  IdentityFile ~/.ssh/web_%h',
        'Host jump',
        `  Include ${dir}/inner.conf`,
        '  User jumper',
        'Match originalhost db user admin',
        '  ForwardAgent yes',
        'Match host 198.18.0.*',
        '  Compression yes',
        'Match !host 198.18.0.* localuser ' + userInfo().username,
        '  ConnectTimeout 7',
        'Match final host *.example',
        '  LogLevel ERROR',
        'Host *',
        '  User fallbackuser',
        '  ServerAliveInterval 30',
        '  IdentityFile ~/.ssh/id_%r',
        '',
      ].join('\n'),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, string[], CommandLineSetting[]][] = [
    ['web-1', [], []],
    ['web-legacy', [], []],
    ['db', [], []],
    ['db', ['-l', 'admin'], [{ key: 'user', value: 'admin', force: false }]],
    ['jump', [], []],
    ['a.internal', [], []],
    ['plain', [], []],
    ['www.example', [], []],
    ['web-2', ['-o', 'Port=1234', '-o', 'User=me'], [{ key: 'port', value: '1234', force: false }, { key: 'user', value: 'me', force: false }]],
  ];
  for (const [host, args, settings] of cases) {
    test(`${host} ${args.join(' ')}`, { skip: hasSsh ? false : 'no ssh binary to compare with' }, () => {
      assert.deepEqual(semantic(fallback(host, settings)), semantic(real([...args, host])));
    });
  }

  test('the config really exercises Include, negation, Match and Include inside Host', () => {
    assert.equal(fallback('web-1').user, 'deploy');
    assert.equal(fallback('web-1').port, 2200);
    assert.equal(fallback('web-legacy').port, 22);
    assert.equal(fallback('db').port, 5433);
    assert.equal(fallback('db').compression, true);
    assert.equal(fallback('db', [{ key: 'user', value: 'admin', force: false }]).forwardAgent, true);
    assert.equal(fallback('jump').port, 2022);
    assert.deepEqual(fallback('a.internal').proxyJump, ['bastion']);
    assert.equal(fallback('www.example').logLevel, 'ERROR');
    assert.equal(fallback('plain').connectTimeoutMs, 7000);
  });

  test('Match exec is skipped with a warning', () => {
    writeFileSync(cfg, ['Match exec "true"', '  Port 7', ''].join('\n'));
    const warnings: string[] = [];
    assert.equal(fallback('h', [], (m) => warnings.push(m)).port, 22);
    assert.match(warnings.join('\n'), /Match exec is not evaluated/);
  });

  test('relative Include is read from ~/.ssh (with the home given)', () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(join(home, '.ssh', 'extra.conf'), 'Port 4444\n');
    writeFileSync(join(home, '.ssh', 'config'), 'Include extra.conf\n');
    const raw = resolveWithoutSsh({ host: 'h', settings: [], local: { ...local, home }, systemConfigFile: join(dir, 'none'), warn: () => undefined });
    assert.deepEqual(raw.port, ['4444']);
  });
});

describe('broken configuration', () => {
  let bad = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tether-badcfg-'));
    bad = join(dir, 'bad_config');
    writeFileSync(bad, 'Host a\n  Port 1\n  Bogus x\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('ssh -G error → TetherError config naming file and line', { skip: hasSsh ? false : 'no ssh binary' }, async () => {
    await assert.rejects(
      resolveEffectiveConfig({ argv: ['-F', bad, 'a'], fallback: { host: 'a', settings: [], configFile: bad }, local }),
      (err: unknown) => {
        assert.ok(err instanceof TetherError);
        assert.equal(err.kind, 'config');
        assert.equal(err.fatal, true);
        // ssh's two lines, as OpenSSH prints them: the bad line, then the file's "terminating" line
        assert.equal(err.message, `${bad}: line 3: Bad configuration option: bogus\n${bad}: terminating, 1 bad configuration options`);
        return true;
      },
    );
  });

  test('a bad -o value → config error from ssh ("command-line line 0")', { skip: hasSsh ? false : 'no ssh binary' }, async () => {
    await assert.rejects(
      resolveEffectiveConfig({ argv: ['-F', bad, '-o', 'Port=abc', 'a'], fallback: { host: 'a', settings: [], configFile: bad }, local }),
      (err: unknown) => err instanceof TetherError && err.kind === 'config' && err.message === "command-line line 0: Bad port 'abc'.",
    );
  });

  test('a missing -F file → config error', { skip: hasSsh ? false : 'no ssh binary' }, async () => {
    const missing = join(dir, 'missing');
    await assert.rejects(
      resolveEffectiveConfig({ argv: ['-F', missing, 'a'], fallback: { host: 'a', settings: [], configFile: missing }, local }),
      (err: unknown) => err instanceof TetherError && err.kind === 'config' && err.message.includes(missing),
    );
  });

  test('without ssh, a missing -F file is a config error too', async () => {
    const missing = join(dir, 'missing');
    await assert.rejects(
      resolveEffectiveConfig({ argv: ['-F', missing, 'a'], fallback: { host: 'a', settings: [], configFile: missing }, local: { ...local, env: { PATH: '/nonexistent' } } }),
      (err: unknown) => err instanceof TetherError && err.kind === 'config' && err.message.includes(missing),
    );
  });
});

describe('ssh -G that hangs', () => {
  test('a Match exec that never ends → config error after the timeout', { skip: hasSsh ? false : 'no ssh binary' }, async () => {
    const d = mkdtempSync(join(tmpdir(), 'tether-slow-'));
    try {
      const slow = join(d, 'config');
      const pidFile = join(d, 'pid');
      writeFileSync(slow, `Match exec "echo $$ > ${pidFile}; sleep 30"\n  Port 7\n`);
      await assert.rejects(
        resolveEffectiveConfig({ argv: ['-F', slow, 'a'], fallback: { host: 'a', settings: [], configFile: slow }, local, timeoutMs: 500 }),
        (err: unknown) => err instanceof TetherError && err.kind === 'config' && /did not finish/.test(err.message),
      );
      // The shell ssh started for Match exec went with it (the whole process group was killed).
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      assert.ok(pid > 0);
      const alive = (): boolean => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      // A killed child may linger a moment as a zombie until init reaps it.
      for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(alive(), false);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
