import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anySinkConfigured, parseOtlpUrl, parseSinkSetting, parseSyslogUrl } from './sink-settings.js';
import { openSettings, parseSettingValue } from './settings.js';

test('syslog URLs: udp, tcp, tls with host and port; anything else is not one', () => {
  assert.deepEqual(parseSyslogUrl('tcp://127.0.0.1:5514'), { transport: 'tcp', host: '127.0.0.1', port: 5514 });
  assert.deepEqual(parseSyslogUrl('tls://logs.example.com:6514/'), { transport: 'tls', host: 'logs.example.com', port: 6514 });
  assert.deepEqual(parseSyslogUrl('udp://[::1]:514'), { transport: 'udp', host: '::1', port: 514 });
  for (const bad of ['tcp://host', 'http://h:1', 'tcp://h:0', 'tcp://h:70000', 'tcp://h:1/x', 'h:514', 'tcp://a b:1']) {
    assert.equal(parseSyslogUrl(bad), undefined, bad);
  }
  assert.equal(parseOtlpUrl('http://127.0.0.1:4318')?.port, '4318');
  assert.equal(parseOtlpUrl('ftp://x'), undefined);
});

test('sink settings are checked once, with errors naming the key, the value and the type', () => {
  assert.equal(parseSettingValue('syslog', 'tcp://127.0.0.1:5514'), 'tcp://127.0.0.1:5514');
  assert.equal(parseSettingValue('syslog', 'off'), '');
  assert.equal(parseSettingValue('journald', 'true'), true);
  assert.equal(parseSettingValue('otlp', 'https://otel.example:4318'), 'https://otel.example:4318');
  assert.throws(() => parseSettingValue('syslog', 'tcp://h'), /syslog takes a URL udp:\/\/host:port, tcp:\/\/host:port or tls:\/\/host:port \(or off\), not 'tcp:\/\/h'/);
  assert.throws(() => parseSettingValue('otlp', 'localhost:4318'), /otlp takes an http:\/\/ or https:\/\/ URL .*'localhost:4318'/);
  assert.throws(() => parseSinkSetting('syslogCa', 'ca.pem'), /syslogCa takes an absolute path .*'ca\.pem'/);
  assert.throws(() => parseSettingValue('journald', 'sometimes'), /journald takes yes or no, not 'sometimes'/);
});

test('a hand-edited settings file with a bad sink value is a config error naming the file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-sink-settings-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const s = await openSettings(dir);
  s.set('syslog', 'tls://logs:6514');
  assert.equal((await openSettings(dir)).get('syslog'), 'tls://logs:6514');
  writeFileSync(s.path, JSON.stringify({ syslog: 'gopher://x' }));
  await assert.rejects(openSettings(dir), /config\.json/);
});

test('a sink is on when set, or OTLP when the OpenTelemetry endpoint variables are', () => {
  const none = { syslog: '', syslogCa: '', journald: false, otlp: '', otlpFromEnv: false };
  assert.equal(anySinkConfigured(none), false);
  assert.equal(anySinkConfigured({ ...none, syslogCa: '/ca.pem' }), false);
  assert.equal(anySinkConfigured({ ...none, journald: true }), true);
  assert.equal(anySinkConfigured({ ...none, otlpFromEnv: true }), true);
});
