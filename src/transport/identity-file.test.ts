// IdentityFile loading: OpenSSH's permission rule (sshkey_perm_ok) applied when the private half is needed.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadIdentityFile, unprotectedKeyLines } from './identity-file.js';
import { goodKeyPair } from './keygen.js';
import type { PassphrasePolicy } from './identity-file.js';

const asRoot = process.getuid?.() === undefined ? 'no uids on this platform' : false;

describe('a private key readable by others', { skip: asRoot }, () => {
  let dir = '';
  let key = '';
  const lines: string[] = [];
  const secrets: string[] = [];
  const policy: PassphrasePolicy = {
    prompter: {
      secret: (p) => {
        secrets.push(p);
        return Promise.resolve(undefined);
      },
      confirm: () => Promise.resolve(undefined),
      info: (l) => lines.push(l),
    },
    batchMode: false,
    attempts: 3,
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tether-keyperm-'));
    key = join(dir, 'id');
    writeFileSync(key, goodKeyPair().private, { mode: 0o600 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('mode 0600: used, nothing printed', async () => {
    chmodSync(key, 0o600);
    lines.length = 0;
    assert.equal(unprotectedKeyLines(key), undefined);
    const file = await loadIdentityFile(key, policy);
    assert.ok(file);
    assert.ok(await file.loadPrivate());
    assert.deepEqual(lines, []);
  });

  test('mode 0644: offered (the public half), but the private half refused with ssh\'s warning, once', async () => {
    chmodSync(key, 0o644);
    lines.length = 0;
    const file = await loadIdentityFile(key, policy);
    assert.ok(file, 'the public half is still offered, as ssh does (the warning comes when the server accepts it)');
    assert.deepEqual(lines, []);
    assert.equal(await file.loadPrivate(), undefined);
    assert.equal(await file.loadPrivate(), undefined);
    assert.deepEqual(lines, [
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      '@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @',
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      `Permissions 0644 for '${key}' are too open.`,
      'It is required that your private key files are NOT accessible by others.',
      'This private key will be ignored.',
      `Load key "${key}": bad permissions`,
    ]);
  });

  test('group access alone (0640) is too open as well; the passphrase is never asked', async () => {
    const locked = join(dir, 'locked');
    writeFileSync(locked, goodKeyPair({ passphrase: 'pw' }).private);
    chmodSync(locked, 0o640);
    lines.length = 0;
    secrets.length = 0;
    const file = await loadIdentityFile(locked, policy);
    assert.ok(file);
    assert.equal(await file.loadPrivate(), undefined);
    assert.equal(lines[3], `Permissions 0640 for '${locked}' are too open.`);
    assert.deepEqual(secrets, []);
  });
});
