// Fuzz: the history file. Any text reads without a throw; records written read back unchanged whatever damaged
// lines sit between them, each damaged line warned once; nothing read back carries a control character.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fc, fuzz, tetherOnly } from '../../test/helpers/fuzz.js';
import { CAUSES } from '../diagnosis/cause.js';
import { parseResets } from './log.js';
import type { ResetRecord } from './record.js';
import { buildResetRecord, OUTCOMES, RECORD_VERSION, toPlain } from './record.js';

const T0 = Date.UTC(2020, 0, 1);
const text = fc.string({ unit: 'binary', maxLength: 60 });
/** A record as the cli builds one, with hostile text in every free-text field. */
const record = fc
  .record({
    host: text,
    hostname: text,
    port: fc.integer({ min: 1, max: 65535 }),
    user: text,
    session: fc.option(text, { nil: undefined }),
    lastHeardAt: fc.integer({ min: T0, max: T0 + 1e11 }),
    detectMs: fc.integer({ min: 0, max: 1e7 }),
    downMs: fc.option(fc.integer({ min: 0, max: 1e7 }), { nil: undefined }),
    trigger: text,
    cause: fc.constantFrom(...CAUSES),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    evidence: fc.array(text, { maxLength: 5 }),
    advice: fc.array(text, { maxLength: 3 }),
    attempts: fc.nat(1000),
    outcome: fc.constantFrom(...OUTCOMES),
    keepaliveMs: fc.option(fc.integer({ min: 1000, max: 3_600_000 }), { nil: undefined }),
  })
  .map((r) =>
    buildResetRecord({
      ...r,
      id: '',
      detectedAt: r.lastHeardAt + r.detectMs,
      ...(r.downMs === undefined ? {} : { restoredAt: r.lastHeardAt + r.detectMs + r.downMs }),
      diagnosis: { cause: r.cause, confidence: r.confidence, evidence: r.evidence, advice: r.advice },
    }),
  );
/** Lines a damaged or foreign file may hold (never a valid record: no `"v":1` with an id, host and date). */
const damaged = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.constantFrom('{"v":2,"id":"x","host":"h","detectedAt":"2020-01-01T00:00:00.000Z"}', '{"v":1,"id":"","host":"h"}', '[1,2]', 'null', '{"v":1,"id":"z","update":true'),
).map((l) => l.replace(/\n/g, ' '));

/** The file's lines: records (ids given in order) with damaged lines between them. */
function fileOf(records: ResetRecord[], junk: string[]): { text: string; junkLines: number } {
  const lines: string[] = [];
  let junkLines = 0;
  records.forEach((r, i) => {
    const j = junk[i];
    if (j !== undefined) {
      lines.push(j);
      if (j.trim() !== '') junkLines++;
    }
    lines.push(JSON.stringify(toPlain(r)));
  });
  return { text: `${lines.join('\n')}\n`, junkLines };
}

test('records read back unchanged between damaged lines; one warning per damaged line', (t) => {
  const input = fc.tuple(fc.array(record, { maxLength: 6 }), fc.array(damaged, { maxLength: 6 }));
  fuzz(t, 'history round trip', input, ([drafts, junk]) => {
    const records = drafts.map((r, i) => ({ ...r, id: `id-${i}` }));
    const { text, junkLines } = fileOf(records, junk);
    const warnings: string[] = [];
    const got = parseResets(text, 'resets.jsonl', (w) => warnings.push(w));
    const byId = (rs: ResetRecord[]): ResetRecord[] => [...rs].sort((a, b) => a.id.localeCompare(b.id));
    assert.deepEqual(byId(got), byId(records.map(toPlain)));
    assert.equal(warnings.length, junkLines, warnings.join('\n'));
    for (const w of warnings) assert.match(w, /^tether: resets\.jsonl line \d+: .+, skipped$/);
    for (let i = 1; i < got.length; i++) assert.ok(Date.parse(got[i - 1]?.detectedAt ?? '') <= Date.parse(got[i]?.detectedAt ?? ''), 'oldest first');
  });
});

test('any text reads without a throw; what comes back is well-typed and free of control characters', (t) => {
  const anyObject = fc.dictionary(fc.constantFrom('v', 'id', 'host', 'detectedAt', 'evidence', 'advice', 'update', 'cause', 'port', 'outcome', 'restoredAt', 'x'), fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constant(RECORD_VERSION), fc.constant('2021-05-05T00:00:00.000Z'), fc.array(text, { maxLength: 3 })));
  const line = fc.oneof(damaged, anyObject.map((o) => JSON.stringify(o)), fc.string({ unit: 'binary', maxLength: 200 }));
  fuzz(t, 'history any text', fc.array(line, { maxLength: 10 }), (lines) => {
    const r = tetherOnly(() => parseResets(lines.join('\n'), 'f', () => undefined));
    assert.ok(r.ok);
    for (const rec of r.value) {
      assert.equal(rec.v, RECORD_VERSION);
      assert.ok(typeof rec.id === 'string' && rec.id !== '' && typeof rec.host === 'string');
      assert.ok(!Number.isNaN(Date.parse(rec.detectedAt)));
      assert.ok(typeof rec.port === 'number' && Number.isFinite(rec.port));
      assert.ok((CAUSES as readonly string[]).includes(rec.cause) && (OUTCOMES as readonly string[]).includes(rec.outcome));
      // eslint-disable-next-line no-control-regex
      for (const l of [...rec.evidence, ...rec.advice]) assert.ok(!/[\u0000-\u001f\u007f-\u009f]/.test(l), 'no terminal escapes in evidence or advice');
    }
  });
});
