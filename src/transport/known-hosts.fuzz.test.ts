// Fuzz: known_hosts lines (plain, hashed, patterns, markers). Any text parses without a throw, line by line; what
// tether writes reads back as the same key for the same names, and only for them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fc, fuzz, tetherOnly } from '../../test/helpers/fuzz.js';
import { formatKnownHostsLines, judgeHostKey, matchPattern, matchPatternList, parseKnownHosts } from './known-hosts.js';

const KEY_TYPES = ['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256'] as const;
/** A key blob as ssh encodes it: string type, then key material. */
const blob = fc.tuple(fc.constantFrom(...KEY_TYPES), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([type, body]) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(type.length);
  return { type, key: Buffer.concat([len, Buffer.from(type, 'latin1'), Buffer.from(body)]) };
});
const label = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}$/);
/** Host names as known_hosts stores them: `host`, `a.b.c`, `[host]:port`. */
const hostName = fc.oneof(
  fc.array(label, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('.')),
  fc.tuple(label, fc.integer({ min: 1, max: 65535 })).map(([h, p]) => `[${h}]:${p}`),
);
/** Lines of any kind: real entries, markers, comments, junk, very long fields. */
const anyLine = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.tuple(fc.constantFrom('', '@revoked ', '@cert-authority ', '@bogus ', '# '), fc.string({ maxLength: 30 }), blob).map(
    ([m, h, b]) => `${m}${h} ${b.type} ${b.key.toString('base64')}`,
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
).map((l) => l.replace(/\n/g, ' '));

test('any text parses without a throw, and line by line: a file is the sum of its lines', (t) => {
  fuzz(t, 'known_hosts lines', fc.array(anyLine, { maxLength: 12 }), (lines) => {
    const whole = tetherOnly(() => parseKnownHosts(lines.join('\n'), 'kh'));
    assert.ok(whole.ok, 'parseKnownHosts never throws');
    const each = lines.flatMap((l, i) => parseKnownHosts(l, 'kh').map((e) => ({ ...e, line: i + 1 })));
    assert.deepEqual(whole.value, each);
    for (const e of whole.value) assert.ok(e.key.length >= 4 && e.keyType !== '', 'only entries with a key blob');
  });
});

test('what tether writes reads back: the same key is ok for every name, another key of the type is changed', (t) => {
  const input = fc.record({ names: fc.uniqueArray(hostName, { minLength: 1, maxLength: 3 }), other: hostName, k: blob, k2: blob, hashed: fc.boolean(), junk: fc.array(anyLine, { maxLength: 3 }) });
  fuzz(t, 'known_hosts round trip', input, ({ names, other, k, k2, hashed, junk }) => {
    fc.pre(!names.includes(other) && !k.key.equals(k2.key));
    // lines that are not entries (comments, junk, bad markers or blobs) before it must not hide the entry
    const text = [...junk.filter((l) => parseKnownHosts(l, 'kh').length === 0), formatKnownHostsLines(names, k.type, k.key, hashed)].join('\n');
    const entries = parseKnownHosts(text, 'kh');
    for (const n of names) {
      assert.equal(judgeHostKey(entries, n, k.type, k.key).status, 'ok', `${n} is known`);
      const v = judgeHostKey(entries, n, k2.type, k2.key).status;
      assert.equal(v, k2.type === k.type ? 'changed' : 'new', `another ${k2.type} key for ${n}`);
    }
    assert.equal(judgeHostKey(entries, other, k.type, k.key).status, 'new', `${other} is not known`);
    const revoked = parseKnownHosts(`@revoked ${formatKnownHostsLines(names, k.type, k.key, false)}${text}`, 'kh');
    for (const n of names) assert.equal(judgeHostKey(revoked, n, k.type, k.key).status, 'revoked', `${n}: @revoked wins over a plain line`);
  });
});

test('patterns: a name matches itself with characters replaced by ? and runs by *, and a negation vetoes', (t) => {
  const op = fc.oneof(fc.constant<'keep'>('keep'), fc.constant<'?'>('?'), fc.integer({ min: 0, max: 3 }));
  const input = fc.tuple(fc.string({ maxLength: 30 }), fc.array(op, { maxLength: 30 }));
  fuzz(t, 'known_hosts patterns', input, ([name, ops]) => {
    let pattern = '';
    for (let i = 0, k = 0; i < name.length; k++) {
      const o = ops[k % Math.max(1, ops.length)] ?? 'keep';
      if (o === 'keep' || o === '?') {
        pattern += o === '?' ? '?' : name.charAt(i);
        i++;
      } else {
        pattern += '*'; // a run of 0..3 characters (an empty run before a kept one, so the loop advances)
        i += o;
        if (o === 0) pattern += name.charAt(i++);
      }
    }
    if (ops.length > 0 && typeof ops[0] === 'number') pattern += '*';
    assert.ok(matchPattern(pattern, name), `${JSON.stringify(pattern)} matches ${JSON.stringify(name)}`);
    if (!pattern.includes('*')) assert.equal(matchPattern(`${pattern}?`, name), false, 'a pattern needing one character more');
    const lower = name.toLowerCase();
    fc.pre(!lower.includes(',') && !lower.startsWith('!'));
    assert.equal(matchPatternList(`*,!${lower}`, lower), false, 'a matching negation vetoes');
    assert.equal(matchPatternList(`${lower},!x${lower}`, lower), true, 'a non-matching negation does not');
  });
});
