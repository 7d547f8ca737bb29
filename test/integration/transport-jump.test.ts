// ProxyJump: a link through two ssh2 servers, each hop with its own config and host-key check.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { TetherError, errorCode } from '../../src/common/errors.js';
import type { EffectiveConfig } from '../../src/config/types.js';
import { connect, hopPins } from '../../src/transport/connect.js';
import { hostKeyFromBlob } from '../../src/transport/host-key.js';
import { openExec } from '../../src/transport/session.js';
import type { TestServer } from '../helpers/ssh-server.js';
import { ScriptedPrompter, makeKeyPair, startTestServer, testConfig } from '../helpers/ssh-server.js';

const dir = mkdtempSync(join(tmpdir(), 'tether-jump-'));
const userKey = makeKeyPair();
writeFileSync(join(dir, 'id'), userKey.private, { mode: 0o600 });
let hop1: TestServer;
let hop2: TestServer;
let target: TestServer;

function config(server: TestServer, name: string, knownHosts: string, extra: Partial<EffectiveConfig> = {}): EffectiveConfig {
  return testConfig(server, dir, { host: name, identityFiles: [join(dir, 'id')], userKnownHostsFiles: [knownHosts], ...extra });
}

async function readAll(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

before(async () => {
  const start = () => startTestServer({ publicKeys: [userKey.public] });
  [hop1, hop2, target] = await Promise.all([start(), start(), start()]);
});
after(async () => {
  await Promise.all([hop1, hop2, target].map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

test('-J hop1,hop2: each hop verified and recorded, the command runs on the target, dispose tears all down', async () => {
  const kh = join(dir, 'kh_jump');
  const resolved: string[] = [];
  const resolveHop = (spec: string) => {
    resolved.push(spec);
    const server = spec === 'hop1' ? hop1 : hop2;
    return Promise.resolve(config(server, spec, kh));
  };
  const link = await connect({ config: config(target, 'target', kh, { proxyJump: ['hop1', 'hop2'] }), prompter: new ScriptedPrompter(), resolveHop });
  try {
    assert.deepEqual(resolved, ['hop2', 'hop1']);
    assert.equal(link.hops.length, 2);
    assert.equal(link.hops[0]?.config.port, hop1.port);
    assert.equal(link.hops[1]?.config.port, hop2.port);
    assert.equal(link.remoteAddress, undefined);
    assert.equal(link.hostKey.fingerprint, hostKeyFromBlob(target.hostKeyBlob).fingerprint);
    const lines = readFileSync(kh, 'utf8').trim().split('\n');
    assert.equal(lines.length, 3, 'each hop and the target recorded once');
    const s = await openExec(link, 'echo via-jump');
    s.stdin.end();
    assert.equal(await readAll(s.stdout), 'via-jump\n');
    assert.deepEqual(await s.exit, { code: 0 });
  } finally {
    link.dispose();
  }
  assert.ok(link.hops.every((h) => h.closed));
});

test('a hop\'s failure ends the target link with the hop\'s reason (ECONNRESET)', async () => {
  const kh = join(dir, 'kh_jump2');
  const resolveHop = (spec: string) => Promise.resolve(config(spec === 'hop1' ? hop1 : hop2, spec, kh));
  const link = await connect({ config: config(target, 'target', kh, { proxyJump: ['hop1', 'hop2'] }), prompter: new ScriptedPrompter(), resolveHop });
  const closed = new Promise<TetherError | undefined>((r) => link.onClose(r));
  hop1.resetAll();
  const err = await closed;
  assert.ok(err instanceof TetherError);
  assert.equal(errorCode(err), 'ECONNRESET');
  link.dispose();
});

test('reconnect pins: a hop whose key changed is refused even when known_hosts would accept it', async () => {
  const kh = join(dir, 'kh_jump4');
  const resolveHop = (spec: string) => Promise.resolve(config(spec === 'hop1' ? hop1 : hop2, spec, kh, { strictHostKeyChecking: 'no' }));
  const target1 = config(target, 'target', kh, { proxyJump: ['hop1', 'hop2'], strictHostKeyChecking: 'no' });
  const first = await connect({ config: target1, prompter: new ScriptedPrompter(), resolveHop });
  const pins = hopPins(first);
  first.dispose();
  assert.equal(pins.size, 2);
  const again = await connect({ config: target1, prompter: new ScriptedPrompter(), resolveHop, pinnedHostKey: first.hostKey, pinnedHopKeys: pins });
  again.dispose();
  // hop2 "changes" its key: pin it to hop1's key instead.
  const wrong = new Map(pins);
  wrong.set(`127.0.0.1:${hop2.port}`, hostKeyFromBlob(hop1.hostKeyBlob));
  await assert.rejects(
    connect({ config: target1, prompter: new ScriptedPrompter(), resolveHop, pinnedHopKeys: wrong }),
    (e: unknown) => e instanceof TetherError && e.kind === 'host-key-changed',
  );
});

test('a hop with an unknown key under yes stops the chain with host-key-unknown', async () => {
  const kh = join(dir, 'kh_jump3');
  const resolveHop = (spec: string) => Promise.resolve(config(hop1, spec, kh, { strictHostKeyChecking: 'yes' }));
  await assert.rejects(
    connect({ config: config(target, 'target', kh, { proxyJump: ['hop1'] }), prompter: new ScriptedPrompter(), resolveHop }),
    (e: unknown) => e instanceof TetherError && e.kind === 'host-key-unknown',
  );
});
