// requireLab: a missing lab skips outside CI and fails under CI=true.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireLab } from './available.js';

function fakeContext(): { skip: (why?: string) => void; skipped: (string | undefined)[] } {
  const skipped: (string | undefined)[] = [];
  return { skip: (why?: string) => void skipped.push(why), skipped };
}

test('requireLab skips with the reason outside CI, throws under CI=true, passes when available', () => {
  const saved = process.env.CI;
  try {
    const missing = { ok: false as const, why: 'fault lab needs root' };
    delete process.env.CI;
    const t = fakeContext();
    assert.equal(requireLab(t, missing), false);
    assert.deepEqual(t.skipped, ['fault lab needs root']);
    process.env.CI = 'true';
    assert.throws(() => requireLab(fakeContext(), missing), /fault lab unavailable in CI: fault lab needs root/);
    const ok = fakeContext();
    assert.equal(requireLab(ok, { ok: true }), true);
    assert.deepEqual(ok.skipped, []);
  } finally {
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
  }
});
