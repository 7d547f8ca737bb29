// Key re-exchanges started by sshd (RekeyLimit) in the middle of a stream: the link must carry every byte. Until the
// host key check of a re-key answered at once, ssh2 took sshd's NEWKEYS while that check was pending and sent
// packets in between under half-switched keys; sshd logged "Bad packet length" and dropped the link.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dest, keyOptions, report, tempDir, tetherInClient } from '../helpers/foundation.js';
import { collect, jsonLines, spawnNodeInClient, startLab, waitForExit } from './index.js';

const MIB = 1 << 20;

test('re-keys from sshd in the middle of a stream lose nothing', { timeout: 180_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  await lab.setSshdOptions(['RekeyLimit 1M']);

  await t.test("every re-key: our NEWKEYS goes out before sshd's is taken (no half-switched keys)", async () => {
    const child = spawnNodeInClient(lab, 'test/lab/fixtures/rekey-client.ts', [lab.serverAddr, lab.user, lab.clientKey.privatePath, lab.knownHostsPath, String(30 * MIB)]);
    const out = collect(child);
    await waitForExit(child, 120_000);
    const [r] = jsonLines(out.stdout());
    assert.ok(r, `no result; stderr: ${out.stderr().slice(-500)}\n${lab.sshdLog().split('\n').slice(-5).join('\n')}`);
    assert.equal(r.bytes, 30 * MIB, lab.sshdLog().split('\n').slice(-5).join('\n'));
    assert.equal(r.closed, null);
    assert.ok(Number(r.pings) > 0, 'keep-alives answered during the stream');
    const exchanges = r.exchanges as string[];
    assert.ok(exchanges.length >= 10, `${exchanges.length} key exchanges for 30 MiB under RekeyLimit 1M`);
    // the first exchange is before authentication (nothing else is sent then); every re-key must be answered at once
    assert.deepEqual(exchanges.slice(1).filter((e) => e !== 'acc out in'), [], JSON.stringify(exchanges));
  });

  await t.test('tether host cmd: 100 MiB through 100 re-keys, every byte, status 0', async (st) => {
    const home = tempDir(st, 'rekey');
    const argv = [...keyOptions(lab), dest(lab), 'head -c 100M /dev/zero'];
    const r = await tetherInClient(lab, home, argv);
    report(st, 'rekey stream', argv, { ...r, stdout: Buffer.alloc(0) });
    assert.equal(r.code, 0, `${r.stderr}\n${lab.sshdLog().split('\n').slice(-5).join('\n')}`);
    assert.equal(r.stdout.length, 100 * MIB);
  });
});
