import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HELD_INPUT_LIMIT, HeldInput } from './input-buffer.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

test('held keys come back in typing order, once', () => {
  const h = new HeldInput();
  assert.equal(h.push(bytes('ls')), true);
  assert.equal(h.push(bytes(' -l')), true);
  assert.equal(h.push(bytes('\r')), true);
  assert.deepEqual(h.status(), { bytes: 6, chunks: 3, droppedBytes: 0 });
  assert.equal(text(h.flush()), 'ls -l\r');
  assert.deepEqual(h.status(), { bytes: 0, chunks: 0, droppedBytes: 0 });
  assert.equal(h.flush().length, 0);
});

test('a pushed chunk is copied: later reuse of the caller buffer changes nothing', () => {
  const h = new HeldInput();
  const buf = bytes('abc');
  h.push(buf);
  buf[0] = 0x7a;
  assert.equal(text(h.flush()), 'abc');
});

test('when full, the newest chunk is refused whole and counted', () => {
  const h = new HeldInput(8);
  assert.equal(h.push(bytes('echo')), true);
  assert.equal(h.push(bytes(' hi\r')), true);
  assert.equal(h.push(bytes('x')), false);
  assert.equal(h.push(bytes('\x1b[A')), false);
  assert.deepEqual(h.status(), { bytes: 8, chunks: 2, droppedBytes: 4 });
  assert.equal(text(h.flush()), 'echo hi\r');
  assert.equal(h.status().droppedBytes, 0);
});

test('the default bound is 64 KiB', () => {
  const h = new HeldInput();
  assert.equal(HELD_INPUT_LIMIT, 65_536);
  assert.equal(h.push(new Uint8Array(65_536)), true);
  assert.equal(h.push(new Uint8Array(1)), false);
  h.clear();
  assert.equal(h.push(new Uint8Array(65_537)), false);
  assert.deepEqual(h.status(), { bytes: 0, chunks: 0, droppedBytes: 65_537 });
});
