import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSettings, parseSettingValue, DEFAULT_SETTINGS } from './settings.js';
import { openHostState, hostKey } from './host-state.js';
import { tetherPaths } from './paths.js';

test('XDG paths, relative values ignored', () => {
  assert.deepEqual(tetherPaths({}, '/home/u'), {
    configDir: '/home/u/.config/tether',
    stateDir: '/home/u/.local/state/tether',
  });
  assert.deepEqual(tetherPaths({ XDG_CONFIG_HOME: '/c', XDG_STATE_HOME: 'rel' }, '/h'), {
    configDir: '/c/tether',
    stateDir: '/h/.local/state/tether',
  });
});

test('setting values are parsed or rejected naming option and value', () => {
  assert.equal(parseSettingValue('statusBar', 'no'), false);
  assert.equal(parseSettingValue('keepaliveMs', '15000'), 15000);
  assert.throws(() => parseSettingValue('keepaliveMs', '12abc'), /keepaliveMs takes a whole number from 1000 .*'12abc'/);
  assert.throws(() => parseSettingValue('tmux', 'maybe'), /tmux takes yes or no, not 'maybe'/);
});

test('settings persist in the given dir with mode 0600; a broken file is a config error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-settings-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const s = await openSettings(dir);
  assert.deepEqual(s.all(), DEFAULT_SETTINGS);
  s.set('keepaliveMs', 12_000);
  const again = await openSettings(dir);
  assert.equal(again.get('keepaliveMs'), 12_000);
  assert.equal(statSync(again.path).mode & 0o777, 0o600);
  writeFileSync(again.path, '{ not json');
  await assert.rejects(openSettings(dir), (e: Error & { kind?: string }) => e.kind === 'config' && /config\.json/.test(e.message));
});

test('host state is kept per user@host:port', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-hosts-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const st = await openHostState(dir);
  const k = hostKey('alice', 'db.example', 22);
  assert.equal(k, 'alice@db.example:22');
  assert.deepEqual(st.get(k), {});
  st.update(k, { idleBoundMs: 30_000, keepaliveMs: 15_000 });
  st.update(k, { srttMs: 12 });
  const re = await openHostState(dir);
  const got = re.get(k);
  assert.equal(got.idleBoundMs, 30_000);
  assert.equal(got.keepaliveMs, 15_000);
  assert.equal(got.srttMs, 12);
  assert.equal(typeof got.updatedAt, 'number');
  assert.deepEqual(re.get('other@x:22'), {});
});

test('the config and state directories are created 0700 (parents too) and their files 0600', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'tether-modes-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const paths = tetherPaths({}, home);
  (await openSettings(paths.configDir)).set('tmux', false);
  (await openHostState(paths.stateDir)).update('a@b:22', { keepaliveMs: 20_000 });
  for (const d of [paths.configDir, paths.stateDir, join(home, '.config'), join(home, '.local'), join(home, '.local', 'state')]) {
    assert.equal(statSync(d).mode & 0o777, 0o700, d);
  }
  for (const f of [join(paths.configDir, 'config.json'), join(paths.stateDir, 'hosts.json')]) assert.equal(statSync(f).mode & 0o777, 0o600, f);
});
