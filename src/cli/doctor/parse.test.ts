import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePingOutput, rttSummary } from './reach.js';
import { parseClientAlive } from './server-step.js';
import { bannerLine, icmpLine, tcpLine } from './step-lines.js';

const T = { alias: 'h', hostname: 'h.example', port: 22, user: 'u' };

test('ping summaries: iputils and busybox', () => {
  const iputils = '3 packets transmitted, 3 received, 0% packet loss, time 2003ms\nrtt min/avg/max/mdev = 0.030/0.041/0.050/0.008 ms\n';
  assert.deepEqual(parsePingOutput(iputils), { sent: 3, received: 3, avgMs: 0.041 });
  const busybox = '3 packets transmitted, 0 packets received, 100% packet loss\n';
  assert.deepEqual(parsePingOutput(busybox), { sent: 3, received: 0 });
});

test('RTT summary: min, median, max', () => {
  assert.deepEqual(rttSummary([5, 1, 3]), { min: 1, median: 3, max: 5 });
  assert.deepEqual(rttSummary([4, 1, 3, 2]), { min: 1, median: 2.5, max: 4 });
  assert.equal(rttSummary([]), undefined);
});

test('ClientAlive from sshd -T, from sshd_config (defaults when unset), and unknown', () => {
  const t = parseClientAlive('motd\ntether-doctor-begin\nsource=sshd-T\nclientaliveinterval 15\nclientalivecountmax 4\nnproc=8\ntether-doctor-end\n');
  assert.deepEqual(t, { clientAlive: { source: 'sshd -T', interval: 15, countMax: 4 }, nproc: 8 });
  const file = parseClientAlive('tether-doctor-begin\nsource=sshd_config\nClientAliveInterval 120\nClientAliveInterval 5\ntether-doctor-end\n');
  assert.deepEqual(file.clientAlive, { source: 'sshd_config', interval: 120, countMax: 3 });
  assert.deepEqual(parseClientAlive('tether-doctor-begin\nsource=sshd_config\ntether-doctor-end').clientAlive, { source: 'sshd_config', interval: 0, countMax: 3 });
  assert.deepEqual(parseClientAlive('garbage').clientAlive, { source: 'unknown' });
});

test('progress lines of steps 1-2', () => {
  assert.equal(icmpLine(T, { status: 'not-checked', why: 'no ping binary on this machine' }).text, 'ICMP: not checked (no ping binary on this machine)');
  assert.equal(icmpLine(T, { status: 'no-answer', sent: 3, received: 0 }).mark, 'warn');
  const lossy = tcpLine(T, { outcomes: ['open', 'timeout', 'open'], rttMs: [1, 3] });
  assert.equal(lossy.mark, 'warn');
  assert.match(lossy.text, /min\/median\/max 1\.00\/2\.00\/3\.00 ms, 1 of 3 lost/);
  assert.equal(tcpLine(T, { outcomes: ['refused', 'refused'], rttMs: [], errno: 'ECONNREFUSED' }).text, 'TCP h.example:22: refused (ECONNREFUSED) on 2 of 2 tries');
  assert.equal(bannerLine({ outcomes: ['refused'], rttMs: [] }), undefined);
  assert.equal(bannerLine({ outcomes: ['open'], rttMs: [1], banner: 'SSH-2.0-X', bannerMs: 3 })?.text, 'banner: SSH-2.0-X (after 3.00 ms)');
});
