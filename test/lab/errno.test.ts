// What a Node process in the client namespace sees for each fault: the errno table tether's diagnosis relies on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collect, jsonLines, spawnNodeInClient, startLab, waitForExit } from './index.js';
import type { Lab } from './index.js';

const PROBE = 'test/lab/fixtures/tcp-probe.ts';

/** Runs the probe and returns its events, e.g. [{event:'error', code:'ECONNREFUSED'}, {event:'close'}]. */
async function probe(lab: Lab, extra: string[] = []): Promise<Record<string, unknown>[]> {
  const child = spawnNodeInClient(lab, PROBE, [lab.serverAddr, '22', '1500', ...extra]);
  const out = collect(child);
  await waitForExit(child, 30_000);
  return jsonLines(out.stdout());
}

function first(events: Record<string, unknown>[], name: string): Record<string, unknown> | undefined {
  return events.find((e) => e.event === name);
}

test('errno per fault, as seen by Node in the client namespace', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  assert.match(String(first(await probe(lab), 'banner')?.text), /^SSH-2\.0-OpenSSH_/);

  await lab.blockPort('rst');
  assert.equal(first(await probe(lab), 'error')?.code, 'ECONNREFUSED', 'blockPort rst');
  await lab.blockPort('drop');
  assert.equal(first(await probe(lab), 'timeout')?.phase, 'connect', 'blockPort drop');
  await lab.unblockPort();

  await lab.blackhole();
  assert.equal(first(await probe(lab), 'timeout')?.phase, 'connect', 'blackhole');
  await lab.restorePath();

  await lab.linkDown();
  assert.equal(first(await probe(lab), 'error')?.code, 'ENETUNREACH', 'linkDown');
  await lab.linkUp();

  await lab.killSshdMaster();
  assert.equal(first(await probe(lab), 'error')?.code, 'ECONNREFUSED', 'sshd down');
  await lab.startSshd();
  assert.ok(first(await probe(lab), 'banner'), 'sshd back');
});

test('errno of an idle connection killed by the firewall: reset (rst) or silence (drop)', async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  await lab.idleTimeout(2, 'rst');
  const rst = await probe(lab, ['3500']); // silent for longer than the 2 s idle timeout
  assert.equal(first(rst, 'error')?.code, 'ECONNRESET', JSON.stringify(rst));
  assert.equal(first(rst, 'error')?.phase, 'after-silence');

  await lab.idleTimeout(2, 'drop');
  const drop = await probe(lab, ['3500']);
  assert.equal(first(drop, 'timeout')?.phase, 'after-silence', JSON.stringify(drop));
  assert.equal(first(drop, 'data'), undefined);
});
