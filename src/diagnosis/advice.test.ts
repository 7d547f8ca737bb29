import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdviceContext } from './advice.js';
import { adviceFor, suggestedServerAliveSec } from './advice.js';
import type { Cause } from './cause.js';
import { CAUSES } from './cause.js';
import { classify } from './classify.js';
import { evidence } from './test-evidence.js';

const ctx: AdviceContext = { host: 'db1', hostname: '198.18.0.7', port: 2222, keepaliveMs: 120_000, idleLimitMs: 240_000 };

/** The seed's concrete lines each cause's advice must carry (made host-specific). */
const expected: Record<Cause, string[]> = {
  'idle-timeout': [
    'tether now pings every 120 s on this host',
    '`ServerAliveInterval 60` under `Host db1` in ~/.ssh/config',
    '`ClientAliveInterval 60`',
    '`ClientAliveCountMax 3`',
    'after about 240 s',
  ],
  firewall: ['`sudo iptables -L -n -v`', 'port 2222', '/etc/hosts.allow', '/etc/hosts.deny', 'security group', '`sudo iptables -A INPUT -p tcp --dport 2222 -j ACCEPT`'],
  network: ['`mtr --report 198.18.0.7`', 'Wi-Fi', 'VPN'],
  'server-restart': ['`sudo systemctl status ssh`', '`sudo journalctl -u ssh', '`sudo sshd -t`'],
  reboot: ['`journalctl -b -1 -e`', '`last -x reboot'],
  'session-killed': ['`dmesg -T | grep -i oom`', '`MaxSessions 10`', '`MaxStartups 10:30:100`'],
  'refused-before-banner': ['`MaxStartups 10:30:100`', 'fail2ban', '/etc/hosts.deny'],
  protocol: ['journalctl -u ssh | grep -i "protocol\\|packet"'],
  auth: ['authorized_keys on 198.18.0.7', '`ssh-add -l`'],
  'host-key-changed': ['`ssh-keygen -R "[198.18.0.7]:2222"`'],
  'client-suspend': ['this machine slept', 'ClientAliveCountMax'],
  unknown: ['`tether doctor db1`', '`mtr --report 198.18.0.7`'],
};

for (const cause of CAUSES) {
  test(`advice for ${cause} carries the seed's concrete lines for this host`, () => {
    const lines = adviceFor(cause, ctx).join('\n');
    for (const want of expected[cause]) assert.ok(lines.includes(want), `missing ${want} in:\n${lines}`);
  });
}

test('protocol advice names the algorithm and the ssh_config line to add', () => {
  const lines = adviceFor('protocol', {
    ...ctx,
    algorithmMismatch: { kind: 'cipher', client: ['aes128-gcm@openssh.com', 'chacha20-poly1305@openssh.com'], server: ['aes128-cbc', '3des-cbc'] },
  }).join('\n');
  assert.ok(lines.includes('`Ciphers +aes128-cbc` under `Host db1` in ~/.ssh/config'), lines);
  assert.ok(lines.includes('enable one of aes128-gcm@openssh.com, chacha20-poly1305@openssh.com on the server with `Ciphers`'), lines);
});

test('host-key advice on port 22 names the bare host', () => {
  const lines = adviceFor('host-key-changed', { ...ctx, port: 22 }).join('\n');
  assert.ok(lines.includes('`ssh-keygen -R 198.18.0.7`'), lines);
});

test('ServerAliveInterval is the seed\'s 60 s unless the idle limit is shorter', () => {
  assert.equal(suggestedServerAliveSec(undefined), 60);
  assert.equal(suggestedServerAliveSec(300_000), 60);
  assert.equal(suggestedServerAliveSec(40_000), 20);
});

test('classify gives idle-timeout advice with half the silence as the new keep-alive', () => {
  const d = classify(evidence({ silenceMs: 240_000 }));
  assert.equal(d.cause, 'idle-timeout');
  assert.ok(d.advice[0]?.startsWith('tether now pings every 120 s on this host'), d.advice[0]);
  assert.ok(d.advice[0]?.includes('`Host web`'), d.advice[0]);
});
