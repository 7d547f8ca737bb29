// Fuzz: the ssh_config reader used when there is no ssh binary. Any file text resolves or fails with a config
// TetherError; Host/Match patterns match as OpenSSH's match.c does and in time linear in their length; quoted
// words split back into the words.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fc, fuzz, tetherOnly } from '../../test/helpers/fuzz.js';
import type { LocalContext } from './effective.js';
import { toEffectiveConfig } from './effective.js';
import { resolveWithoutSsh } from './fallback.js';
import { parseConfigText, splitWords } from './fallback-lines.js';
import { matchPattern } from './fallback-patterns.js';

const dir = mkdtempSync(join(tmpdir(), 'tether-fuzz-cfg-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const local: LocalContext = { home: dir, localUser: userInfo().username, localHostname: hostname(), uid: userInfo().uid, env: {} };

/** match_pattern by its definition (dynamic programming over both strings): the oracle. */
function oracle(s: string, p: string): boolean {
  let row = Array.from({ length: s.length + 1 }, (_, j) => j === 0);
  for (const pc of p) {
    const next = Array.from({ length: s.length + 1 }, () => false);
    next[0] = pc === '*' && (row[0] ?? false);
    for (let j = 1; j <= s.length; j++) {
      next[j] = pc === '*' ? (row[j] ?? false) || (next[j - 1] ?? false) : (row[j - 1] ?? false) && (pc === '?' || pc === s[j - 1]);
    }
    row = next;
  }
  return row[s.length] ?? false;
}

test('patterns match as their definition says, in linear time even for *a*a*a…b', (t) => {
  const small = fc.string({ unit: fc.constantFrom('a', 'b', '.', '*', '?'), maxLength: 24 });
  const hard = fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 400 })).map(([stars, n]) => ({ p: `${'*a'.repeat(stars)}b`, s: 'a'.repeat(n) }));
  fuzz(t, 'ssh_config patterns', fc.oneof(fc.tuple(small.filter((x) => !x.includes('*')), small).map(([s, p]) => ({ s, p })), hard), ({ s, p }) => {
    assert.equal(matchPattern(s, p), oracle(s, p), `${JSON.stringify(p)} against ${JSON.stringify(s)}`);
  });
});

test('quoted words split back into the words (argv_split)', (t) => {
  const quote = (w: string): string => `"${w.replace(/["'\\]/g, (m) => `\\${m}`)}"`;
  fuzz(t, 'ssh_config words', fc.array(fc.string({ maxLength: 12 }), { maxLength: 6 }), (words) => {
    assert.deepEqual(splitWords(words.map(quote).join(' \t ')), words);
    const bare = words.filter((w) => /^[^\s"'\\]+$/.test(w));
    assert.deepEqual(splitWords(bare.join('  ')), bare);
  });
});

const KEYWORDS = ['Host', 'Match', 'HostName', 'Port', 'User', 'IdentityFile', 'ProxyJump', 'ProxyCommand', 'LocalForward', 'DynamicForward', 'ServerAliveInterval', 'StrictHostKeyChecking', 'Include', 'SetEnv', 'SendEnv', 'EscapeChar', 'Bogus', 'Ciphers'];
const configLine = fc.oneof(
  fc.tuple(fc.constantFrom(...KEYWORDS), fc.constantFrom(' ', '=', ' = ', '\t'), fc.string({ maxLength: 30 })).map(([k, sep, v]) => `${k}${sep}${v}`),
  fc.constantFrom('Host *', 'Host web !db', 'Match host web', 'Match all', 'Match exec "true"', 'Match final', 'Include self.conf', 'Include nowhere/*', 'Include /[', 'Include /tmp/[!a]*', 'Include /*/*a*a*a*a*a*a*b', 'Port 99999', 'Port x', 'HostName %h.example', 'User "a b"', 'IdentityFile ~/x', 'LocalForward 1', '"unterminated'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

test('any ssh_config text resolves or fails with a config error, never anything else', (t) => {
  let n = 0;
  const input = fc.tuple(fc.array(configLine.map((l) => l.replace(/\n/g, ' ')), { maxLength: 12 }), fc.constantFrom('web', 'db', 'x.example'));
  fuzz(t, 'ssh_config any text', input, ([lines, host]) => {
    const text = lines.join('\n');
    const parsed = tetherOnly(() => parseConfigText(text, 'cfg'), text);
    if (!parsed.ok) assert.equal(parsed.error.kind, 'config');
    const file = join(dir, `c${n++ % 4}.conf`);
    writeFileSync(file, text);
    writeFileSync(join(dir, 'self.conf'), text); // Include self.conf: nesting must stop (16 deep) with a config error
    const r = tetherOnly(() => toEffectiveConfig(resolveWithoutSsh({ host, settings: [], configFile: file, local, warn: () => undefined }), local), text);
    if (!r.ok) assert.equal(r.error.kind, 'config', r.error.message);
    else assert.ok(r.value.port >= 0 && r.value.port <= 65535 && typeof r.value.hostname === 'string');
  });
});
