import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleRecord } from '../history/test-records.js';
import { ResetsToday } from './resets-today.js';

test("resets today: this host's records since local midnight from the history, plus the ones just written, each once", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-today-'));
  try {
    const noon = new Date();
    noon.setHours(12, 0, 0, 0);
    const t = noon.getTime();
    const file = join(dir, 'resets.jsonl');
    const lines = [
      sampleRecord('a', 'web', 'firewall', t - 3600_000, 100),
      sampleRecord('b', 'web', 'network', t - 86_400_000, 100), // yesterday
      sampleRecord('c', 'db', 'firewall', t - 60_000, 100), // another host
      sampleRecord('d', 'web', 'idle-timeout', t - 60_000, 100),
    ];
    writeFileSync(file, lines.map((r) => JSON.stringify(r)).join('\n') + '\n');
    let now = t;
    const today = new ResetsToday(() => now);
    await today.load(file, 'web');
    assert.equal(today.count(), 2);
    today.add('d', t - 60_000); // already in the file
    today.add('e', t);
    assert.equal(today.count(), 3);
    now = t + 86_400_000; // the next day
    assert.equal(today.count(), 0);
    await new ResetsToday(() => t).load(join(dir, 'missing.jsonl'), 'web');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
