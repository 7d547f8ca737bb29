import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  entryMatchesHost,
  formatKnownHostsLines,
  hashHostName,
  judgeHostKey,
  knownHostsName,
  knownKeyTypes,
  matchPattern,
  matchPatternList,
  parseKnownHosts,
} from './known-hosts.js';
import { fingerprintOf, hostKeyFromBlob, keyTypeWord } from './host-key.js';

function blob(type: string, body: string): Buffer {
  const t = Buffer.from(type);
  const b = Buffer.from(body);
  const len = (n: number) => {
    const x = Buffer.alloc(4);
    x.writeUInt32BE(n);
    return x;
  };
  return Buffer.concat([len(t.length), t, len(b.length), b]);
}
const ED_A = blob('ssh-ed25519', 'A'.repeat(32));
const ED_B = blob('ssh-ed25519', 'B'.repeat(32));
const RSA_A = blob('ssh-rsa', 'R'.repeat(64));
const line = (hosts: string, key: Buffer, marker = '') =>
  `${marker ? marker + ' ' : ''}${hosts} ${key.subarray(4, 4 + key.readUInt32BE(0)).toString()} ${key.toString('base64')}`;

test('parse skips comments, blanks, bad markers and bad base64; keeps line numbers', () => {
  const text = ['# c', '', line('a.example', ED_A), '@weird x ssh-ed25519 AAAA', 'b ssh-ed25519 !!!', line('*', ED_B, '@revoked'), line('*.ca', RSA_A, '@cert-authority')].join('\n');
  const entries = parseKnownHosts(text, '/kh');
  assert.deepEqual(entries.map((e) => [e.line, e.marker ?? '', e.keyType]), [
    [3, '', 'ssh-ed25519'],
    [6, 'revoked', 'ssh-ed25519'],
    [7, 'cert-authority', 'ssh-rsa'],
  ]);
  assert.equal(entries[0]?.file, '/kh');
});

test('glob patterns: *, ? and whole-name matching', () => {
  assert.ok(matchPattern('*.example.com', 'a.example.com'));
  assert.ok(!matchPattern('*.example.com', 'example.com'));
  assert.ok(matchPattern('host?', 'host1'));
  assert.ok(!matchPattern('host?', 'host12'));
  assert.ok(matchPattern('*', ''));
  assert.ok(matchPattern('a*b*c', 'axxbyyc'));
  assert.ok(!matchPattern('a*b*c', 'axxbyy'));
});

test('pattern lists: comma lists, negation vetoes, case-insensitive', () => {
  assert.ok(matchPatternList('foo,*.example.com', 'WWW.Example.com'));
  assert.ok(!matchPatternList('*.example.com,!secret.example.com', 'secret.example.com'));
  assert.ok(matchPatternList('*.example.com,!secret.example.com', 'open.example.com'));
  assert.ok(!matchPatternList('!foo', 'bar'), 'a lone negation matches nothing');
});

test('[host]:port names for non-22 ports and HostKeyAlias', () => {
  assert.equal(knownHostsName('Example.COM', 22), 'example.com');
  assert.equal(knownHostsName('127.0.0.1', 2222), '[127.0.0.1]:2222');
  assert.equal(knownHostsName('127.0.0.1', 2222, 'MyAlias'), 'myalias');
  const [e] = parseKnownHosts(line('[127.0.0.1]:2222,other', ED_A), 'f');
  assert.ok(e && entryMatchesHost(e, '[127.0.0.1]:2222'));
  assert.ok(e && !entryMatchesHost(e, '127.0.0.1'));
});

test('hashed entries match only their name; the hash is OpenSSH-compatible', () => {
  // A vector made by `ssh-keygen -H` (OpenSSH 9.2) for "localhost".
  const salt = Buffer.from('LH92Fyc+9ZWPjTeku+lz0RttH1Q=', 'base64');
  const hashed = hashHostName('localhost', salt);
  assert.equal(hashed, '|1|LH92Fyc+9ZWPjTeku+lz0RttH1Q=|lKQSTfbQsvFQ/APMsAmkKWC1Qac=');
  const [e] = parseKnownHosts(`${hashed} ssh-ed25519 ${ED_A.toString('base64')}`, 'f');
  assert.ok(e && entryMatchesHost(e, 'localhost'));
  assert.ok(e && !entryMatchesHost(e, 'localhost2'));
});

test('judge: ok, new, changed (same type), other type is new, revoked wins, CA lines ignored', () => {
  const entries = parseKnownHosts(
    [line('h1', ED_A), line('h2', RSA_A), line('h3', ED_A), line('h3', ED_B, '@revoked'), line('h4', ED_A, '@cert-authority')].join('\n'),
    'kh',
  );
  assert.equal(judgeHostKey(entries, 'h1', 'ssh-ed25519', ED_A).status, 'ok');
  const changed = judgeHostKey(entries, 'h1', 'ssh-ed25519', ED_B);
  assert.equal(changed.status, 'changed');
  assert.equal(changed.status === 'changed' && changed.entry.line, 1);
  const other = judgeHostKey(entries, 'h2', 'ssh-ed25519', ED_A);
  assert.equal(other.status, 'new');
  assert.equal(other.status === 'new' && other.otherTypes.length, 1);
  assert.equal(judgeHostKey(entries, 'h3', 'ssh-ed25519', ED_B).status, 'revoked');
  assert.equal(judgeHostKey(entries, 'h4', 'ssh-ed25519', ED_A).status, 'new');
  assert.equal(judgeHostKey(entries, 'nobody', 'ssh-ed25519', ED_A).status, 'new');
  assert.deepEqual(knownKeyTypes(entries, 'h2'), ['ssh-rsa']);
});

test('knownKeyTypes: a type whose known key is also @revoked is not preferred (OpenSSH order_hostkeyalgs)', () => {
  const entries = parseKnownHosts(
    [line('h', ED_A), line('h', RSA_A), line('*', ED_A, '@revoked'), line('g', ED_A), line('g', RSA_A)].join('\n'),
    'kh',
  );
  assert.deepEqual(knownKeyTypes(entries, 'h'), ['ssh-rsa']);
  assert.deepEqual(knownKeyTypes(entries, 'g'), ['ssh-rsa'], 'the @revoked * line names every host');
  // a revoked key that is not the known one changes nothing; only the first plain line of a type counts, as in ssh
  const other = parseKnownHosts([line('h', ED_A), line('h', RSA_A), line('h', ED_B, '@revoked')].join('\n'), 'kh');
  assert.deepEqual(knownKeyTypes(other, 'h'), ['ssh-ed25519', 'ssh-rsa']);
  const firstRevoked = parseKnownHosts([line('h', ED_B), line('h', ED_A), line('h', ED_B, '@revoked')].join('\n'), 'kh');
  assert.deepEqual(knownKeyTypes(firstRevoked, 'h'), []);
  // a revoked line for another host does not count
  const elsewhere = parseKnownHosts([line('h', ED_A), line('x', ED_A, '@revoked')].join('\n'), 'kh');
  assert.deepEqual(knownKeyTypes(elsewhere, 'h'), ['ssh-ed25519']);
});

test('multiple files: user entries are judged before global ones', () => {
  const user = parseKnownHosts(line('h', ED_A), '/user');
  const global = parseKnownHosts(line('h', ED_B), '/global');
  const v = judgeHostKey([...user, ...global], 'h', 'ssh-ed25519', ED_B);
  assert.equal(v.status, 'ok');
  const w = judgeHostKey([...user, ...global], 'h', 'ssh-ed25519', blob('ssh-ed25519', 'C'.repeat(32)));
  assert.equal(w.status === 'changed' && w.entry.file, '/user');
});

test('recorded lines round-trip, hashed or not', () => {
  const plain = formatKnownHostsLines(['[h]:2222', '[1.2.3.4]:2222'], 'ssh-ed25519', ED_A, false);
  assert.equal(plain, `[h]:2222,[1.2.3.4]:2222 ssh-ed25519 ${ED_A.toString('base64')}\n`);
  const hashed = formatKnownHostsLines(['h', '1.2.3.4'], 'ssh-ed25519', ED_A, true);
  const entries = parseKnownHosts(hashed, 'kh');
  assert.equal(entries.length, 2);
  assert.equal(judgeHostKey(entries, 'h', 'ssh-ed25519', ED_A).status, 'ok');
  assert.equal(judgeHostKey(entries, '1.2.3.4', 'ssh-ed25519', ED_A).status, 'ok');
  assert.ok(!hashed.includes(' h '));
});

test('host key words and fingerprints', () => {
  const k = hostKeyFromBlob(ED_A);
  assert.equal(k.type, 'ssh-ed25519');
  assert.equal(keyTypeWord(k.type), 'ED25519');
  assert.equal(keyTypeWord('ecdsa-sha2-nistp256'), 'ECDSA');
  assert.match(fingerprintOf(ED_A), /^SHA256:[A-Za-z0-9+/]{43}$/);
});
