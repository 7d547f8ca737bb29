// Fuzz: what a server prints for the evidence scripts (a hostile server may send anything). Any output parses
// without a throw into well-typed facts; facts printed as the scripts print them read back the same, whatever
// noise, banner text or line ends surround them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fc, fuzz, tetherOnly } from '../../test/helpers/fuzz.js';
import { parseServerFacts } from './evidence-parse.js';
import { EVIDENCE_BEGIN, EVIDENCE_END } from './evidence-script.js';

const pidFact = fc.record({ pid: fc.nat(4_194_304), alive: fc.boolean(), start: fc.option(fc.nat(2e9), { nil: undefined }), comm: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,14}$/), { nil: undefined }) });
/** key=value lines as the scripts print them, each with the fact it must give. */
const factLine = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/).map((v) => ({ line: `boot_id=${v}`, key: 'bootId', value: v as unknown })),
  fc.nat(1e9).map((v) => ({ line: `uptime=${v}.25`, key: 'uptimeSec', value: v + 0.25 as unknown })),
  fc.nat(2e9).map((v) => ({ line: `now=${v}`, key: 'nowEpoch', value: v as unknown })),
  fc.nat(2e9).map((v) => ({ line: `btime=${v}`, key: 'bootEpoch', value: v as unknown })),
  fc.nat(4e6).map((v) => ({ line: `sshd_master_pid=${v}`, key: 'sshdMasterPid', value: v as unknown })),
  fc.nat(1e8).map((v) => ({ line: `mem_available_kb=${v}`, key: 'memAvailableKb', value: v as unknown })),
  fc.constantFrom('ancestry', 'pidfile', 'pgrep').map((v) => ({ line: `sshd_master_source=${v}`, key: 'sshdMasterSource', value: v as unknown })),
  pidFact.map((p) => ({
    line: `pid=${p.pid} ${p.alive ? 'alive' : 'gone'}${p.start === undefined ? '' : ` ${p.start}`}${p.comm === undefined ? '' : ` ${p.comm}`}`,
    key: 'pids',
    value: { pid: p.pid, alive: p.alive, ...(p.start === undefined ? {} : { startEpoch: p.start }), ...(p.comm === undefined ? {} : { comm: p.comm }) } as unknown,
  })),
);
/** Lines no script prints: unknown keys, bad values, binary, no `=` (a line that happens to be a fact is left out). */
const noise = fc
  .oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), fc.tuple(fc.constantFrom('boot_id', 'uptime', 'pid', 'now', 'zzz'), fc.string({ maxLength: 20 })).map(([k, v]) => `${k}=x${v}`))
  .map((l) => l.replace(/[\r\n]/g, ' '))
  .filter((l) => l !== EVIDENCE_BEGIN && l !== EVIDENCE_END && (l.trim() === '' || parseServerFacts(l).garbage.length === 1));

test('any output parses without a throw into well-typed facts; garbage stays capped', (t) => {
  const output = fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 }), fc.array(fc.oneof(noise, factLine.map((f) => f.line)), { maxLength: 40 }).map((ls) => [EVIDENCE_BEGIN, ...ls].join('\n')));
  fuzz(t, 'evidence any output', output, (text) => {
    const r = tetherOnly(() => parseServerFacts(text));
    assert.ok(r.ok);
    const f = r.value;
    assert.ok(f.garbage.length <= 20, 'garbage capped');
    for (const n of [f.uptimeSec, f.nowEpoch, f.bootEpoch, f.selfPid, f.sshdMasterPid, f.sshdMasterStart, f.memAvailableKb, f.tmux.panePid]) {
      assert.ok(n === undefined || (Number.isFinite(n) && n >= 0), `a number fact is finite and >= 0: ${n}`);
    }
    if (f.bootId !== undefined) assert.match(f.bootId, /^[0-9a-f-]{8,64}$/);
    assert.equal(f.complete, text.split(/\r?\n/).includes(EVIDENCE_END));
  });
});

test('facts read back the same through noise, a banner before the marker, and CR LF line ends', (t) => {
  const input = fc.record({ facts: fc.array(factLine, { maxLength: 12 }), noise: fc.array(noise, { maxLength: 12 }), banner: fc.array(fc.oneof(noise, factLine.map((f) => f.line)), { maxLength: 4 }), crlf: fc.boolean(), seed: fc.nat() });
  fuzz(t, 'evidence round trip', input, ({ facts, noise: junk, banner, crlf, seed }) => {
    const body: string[] = facts.map((f) => f.line);
    junk.forEach((j, i) => body.splice((seed + i * 7) % (body.length + 1), 0, j));
    const text = [...banner, EVIDENCE_BEGIN, ...body, EVIDENCE_END, ...junk].join(crlf ? '\r\n' : '\n');
    const got = parseServerFacts(text);
    const clean = parseServerFacts([EVIDENCE_BEGIN, ...facts.map((f) => f.line), EVIDENCE_END].join('\n'));
    assert.equal(got.complete, true);
    assert.deepEqual({ ...got, garbage: [] }, { ...clean, garbage: [] }, 'noise, banner and line ends change nothing but garbage');
    const expected = new Map<string, unknown>();
    for (const f of facts) if (f.key !== 'pids') expected.set(f.key, f.value); // the last line of a key wins
    for (const [k, v] of expected) assert.deepEqual((got as unknown as Record<string, unknown>)[k], v, k);
    assert.deepEqual(got.pids, facts.filter((f) => f.key === 'pids').map((f) => f.value));
  });
});
