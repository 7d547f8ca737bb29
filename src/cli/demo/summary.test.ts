import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleRecord } from '../../history/test-records.js';
import { demoSummary } from './summary.js';

test('each fault is paired with the reset that followed it; a fault the link rode out says so', () => {
  const t0 = Date.UTC(2026, 0, 1);
  const faults = [
    { at: t0 + 8000, imitates: 'a firewall sends TCP RST' },
    { at: t0 + 16_000, imitates: 'packets vanish for 5 s' },
    { at: t0 + 24_000, imitates: 'sshd restarts' },
  ];
  const resets = [
    sampleRecord('a', '127.0.0.1', 'firewall', t0 + 8050, 120),
    sampleRecord('b', '127.0.0.1', 'server-restart', t0 + 24_010, 4200, 'new-session'),
  ];
  const lines = demoSummary(t0, faults, resets);
  assert.equal(lines.length, 4);
  assert.match(lines[0] ?? '', /^ {2}\+8 s {2}a firewall sends TCP RST\n {10}→ tether: firewall, back in 120 ms, same shell$/);
  assert.match(lines[1] ?? '', /\+16 s {2}packets vanish for 5 s\n.*no reset recorded/);
  assert.match(lines[2] ?? '', /\+24 s {2}sshd restarts\n.*→ tether: server-restart, back in 4\.2 s, NEW shell$/);
  assert.equal(lines[3], 'tether demo: 3 fault(s) injected, 2 reset(s) recorded, 1 healed into the same shell.');
});

test('no faults (quit early, or --every 0): only the total', () => {
  assert.deepEqual(demoSummary(0, [], []), ['tether demo: 0 fault(s) injected, 0 reset(s) recorded, 0 healed into the same shell.']);
});
