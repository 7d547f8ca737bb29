import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideTty } from './tty-decision.js';
import type { EffectiveConfig } from '../config/types.js';

const cfg = (requestTTY: EffectiveConfig['requestTTY'], sessionType: EffectiveConfig['sessionType'] = 'default'): EffectiveConfig =>
  ({ requestTTY, sessionType, logLevel: 'INFO' }) as EffectiveConfig;

test('pty decisions follow ssh.c', () => {
  assert.deepEqual(decideTty(cfg('auto'), false, true), { pty: true });
  assert.deepEqual(decideTty(cfg('auto'), true, true), { pty: false });
  assert.deepEqual(decideTty(cfg('yes'), true, true), { pty: true });
  assert.deepEqual(decideTty(cfg('yes'), true, false), {
    pty: false,
    warning: 'Pseudo-terminal will not be allocated because stdin is not a terminal.',
  });
  assert.deepEqual(decideTty(cfg('auto'), true, false), { pty: false });
  assert.deepEqual(decideTty(cfg('force'), true, false), { pty: true });
  assert.deepEqual(decideTty(cfg('no'), false, true), { pty: false });
  assert.deepEqual(decideTty(cfg('auto', 'none'), false, true), { pty: false });
});
