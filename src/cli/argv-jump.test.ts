// ProxyJump hop parsing and the argv of the last hop, checked against ssh -G where it matters.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseDump } from '../config/effective.js';
import { hostname, userInfo } from 'node:os';
import { lastHopArgv, loadHopConfig, parseJumpHop } from './argv-jump.js';

const hasSsh = spawnSync('ssh', ['-V']).status === 0;

describe('ProxyJump hops', () => {
  test('forms', () => {
    assert.deepEqual(parseJumpHop('j'), { raw: 'j', host: 'j' });
    assert.deepEqual(parseJumpHop('u@j:2222'), { raw: 'u@j:2222', user: 'u', host: 'j', port: 2222 });
    assert.deepEqual(parseJumpHop('u@[::1]:22'), { raw: 'u@[::1]:22', user: 'u', host: '::1', port: 22 });
    assert.deepEqual(parseJumpHop('ssh://u@j:2'), { raw: 'ssh://u@j:2', user: 'u', host: 'j', port: 2 });
    assert.equal(parseJumpHop('j:0'), undefined);
    assert.equal(parseJumpHop('@j'), undefined);
  });
  test('the last hop carries the earlier ones as -J and only -F', () => {
    assert.equal(lastHopArgv([]), undefined);
    assert.deepEqual(lastHopArgv(['a', 'u@b:2200'], '/cfg'), ['-l', 'u', '-p', '2200', '-J', 'a', '-F', '/cfg', 'b']);
    assert.deepEqual(lastHopArgv(['a']), ['a']);
  });
  test('the hop config from ssh -G has the rest of the chain and the hop\'s own settings', { skip: hasSsh ? false : 'no ssh binary' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tether-jump-'));
    try {
      const cfg = join(dir, 'config');
      writeFileSync(cfg, 'Host b\n  User buser\n  Port 2201\nHost target\n  ProxyJump a,b\n');
      const target = parseDump(spawnSync('ssh', ['-G', '-F', cfg, 'target'], { encoding: 'utf8' }).stdout);
      const hops = (target.proxyjump?.[0] ?? '').split(',');
      assert.deepEqual(hops, ['a', 'b']);
      const hop = parseDump(spawnSync('ssh', ['-G', ...(lastHopArgv(hops, cfg) ?? [])], { encoding: 'utf8' }).stdout);
      assert.deepEqual(hop.host, ['b']);
      assert.deepEqual(hop.user, ['buser']);
      assert.deepEqual(hop.port, ['2201']);
      assert.deepEqual(hop.proxyjump, ['a']);
      const local = { home: userInfo().homedir, localUser: userInfo().username, localHostname: hostname(), uid: userInfo().uid, env: { PATH: process.env.PATH } };
      const b = await loadHopConfig('b', local, { configFile: cfg });
      assert.deepEqual([b.host, b.user, b.port], ['b', 'buser', 2201]);
      const c = await loadHopConfig('u@b:2222', local, { configFile: cfg });
      assert.deepEqual([c.host, c.user, c.port], ['b', 'u', 2222]);
      const viaFallback = await loadHopConfig('u@b:2222', { ...local, env: { PATH: '/nonexistent-dir' } }, { configFile: cfg });
      assert.deepEqual([viaFallback.host, viaFallback.user, viaFallback.port], ['b', 'u', 2222]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
