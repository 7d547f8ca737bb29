// `tether config set otlp|syslog …`, `tether history --export` and `--sinks` as the cli runs them, against a
// real OTLP/HTTP receiver: the export reaches it once per record; a dead sink is one line of status, not an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runConfigCommand } from '../../src/cli/config-command.js';
import { runSinksHistory } from '../../src/cli/sinks-command.js';
import { sinkSettings } from '../../src/cli/sinks-wiring.js';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';
import { appendReset } from '../../src/history/log.js';
import { sampleRecord } from '../../src/history/test-records.js';
import { freePort } from '../helpers/rsyslog.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (s: string) => (text += s));
  return { stream, text: () => text };
}

test('history --export sends every record once; --sinks says ok; a dead sink leaves them queued with its error', { timeout: 60_000 }, async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'tether-sinks-cli-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const env = { XDG_STATE_HOME: join(home, 'state'), XDG_CONFIG_HOME: join(home, 'config') };
  const configDir = join(home, 'config', 'tether');
  const stateDir = join(home, 'state', 'tether');
  for (let i = 0; i < 3; i++) await appendReset(join(stateDir, 'resets.jsonl'), sampleRecord(`c${i}`, 'db', 'firewall', Date.UTC(2026, 0, 1, 0, i)));

  const ids: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (s: string) => (body += s));
    req.on('end', () => {
      for (const m of body.matchAll(/"key":"tether\.id","value":\{"stringValue":"([^"]+)"/g)) ids.push(m[1] ?? '');
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const port = (server.address() as { port: number }).port;

  const io = () => ({ out: capture(), err: capture() });
  const run = async (args: string[]) => {
    const c = io();
    const code = await runSinksHistory(args, { stdout: c.out.stream, stderr: c.err.stream, env, home, configDir, stateDir });
    return { code, out: c.out.text(), err: c.err.text() };
  };

  const none = await run(['--sinks']);
  assert.equal(none.code, 0);
  assert.match(none.err, /no log sink is configured/);

  const cfgOut = capture();
  await runConfigCommand(['set', 'otlp', `http://127.0.0.1:${port}`], { configDir, stdout: cfgOut.stream });
  await runConfigCommand(['get'], { configDir, stdout: cfgOut.stream });
  assert.match(cfgOut.text(), new RegExp(`^otlp http://127\\.0\\.0\\.1:${port}$`, 'm'));
  assert.match(cfgOut.text(), /^syslog \(none\)$/m);

  const exp = await run(['--export']);
  assert.equal(exp.code, 0, exp.out + exp.err);
  assert.match(exp.out, /^tether: 3 resets exported$/m);
  assert.match(exp.out, new RegExp(`^otlp http://127\\.0\\.0\\.1:${port}/v1/logs: ok \\(last sent \\S+\\), 0 queued$`, 'm'));
  assert.deepEqual(ids, ['c0', 'c1', 'c2']);

  // a second sink that is down: the export says so, keeps its events queued, and the working sink is unaffected
  const dead = await freePort();
  await runConfigCommand(['set', 'syslog', `tcp://127.0.0.1:${dead}`], { configDir, stdout: cfgOut.stream });
  const exp2 = await run(['--export']);
  assert.equal(exp2.code, 1);
  assert.match(exp2.out, new RegExp(`^syslog tcp://127\\.0\\.0\\.1:${dead}: failing \\(\\S+: tcp://127\\.0\\.0\\.1:${dead}: connect ECONNREFUSED \\S+; nothing sent yet\\), 3 queued$`, 'm'));
  assert.equal(ids.length, 6);
  const status = await run(['--sinks']);
  assert.equal(status.code, 0);
  assert.equal(status.out.trim().split('\n').length, 2);
  await assert.rejects(run(['--sinks', 'db']), /take no other argument/);
});

test('OTLP is on by itself when an OpenTelemetry endpoint variable is set', () => {
  const s = (env: Record<string, string>) => sinkSettings({ ...DEFAULT_SETTINGS }, env).otlpFromEnv;
  assert.equal(s({}), false);
  assert.equal(s({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }), true);
  assert.equal(s({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://c:4318/v1/logs' }), true);
  assert.equal(s({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }), false);
});
