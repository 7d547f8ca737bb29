import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, confidenceLabel } from './classify.js';
import type { Cause } from './cause.js';
import { CAUSES } from './cause.js';
import type { Evidence } from './evidence.js';
import { attempts, BOOT_B, evidence, T0 } from './test-evidence.js';

/** One row of the table: evidence in, the cause and the facts the evidence lines must name. */
interface Row {
  name: string;
  e: Evidence;
  cause: Cause;
  /** Substrings each of which some evidence line must contain. */
  facts: string[];
}

const S = 1000;
const after = (silenceMs: number): number => T0 + silenceMs + 10;

const rows: Row[] = [
  // idle-timeout vs network: long silence; reachable at once (idle) or nothing reaches the host (network)
  {
    name: 'idle: reset after 301 s silence, reconnect at once, same boot, master and session',
    e: evidence({ silenceMs: 301 * S }),
    cause: 'idle-timeout',
    facts: ['link died after 301 s of silence', 'reconnected at the first attempt', 'same boot', 'before the outage', 'previous session still running'],
  },
  {
    name: 'idle: ping timeout after 350 s silence, reconnect at once, no server facts',
    e: evidence({ silenceMs: 350 * S, client: { trigger: { code: 'ping-timeout' } }, server: null }),
    cause: 'idle-timeout',
    facts: ['link died after 350 s of silence', 'reconnected at the first attempt'],
  },
  {
    name: 'network: long silence, then attempts time out while ping fails',
    e: evidence({
      silenceMs: 300 * S,
      client: { trigger: { code: 'ETIMEDOUT' }, icmpReachable: false, attempts: attempts(after(300 * S), ['timeout', 5000], ['timeout', 5000], 'ok') },
    }),
    cause: 'network',
    facts: ['did not answer ping', 'timed out'],
  },
  {
    name: 'network: ENETUNREACH with the Wi-Fi interface down',
    e: evidence({
      client: {
        trigger: { code: 'ENETUNREACH' },
        interfaceChanges: [{ at: T0 + 1000, kind: 'down', iface: 'wlan0' }],
        attempts: attempts(after(5 * S), 'unreachable', 'unreachable', 'ok'),
      },
    }),
    cause: 'network',
    facts: ['ENETUNREACH', 'interface wlan0 went down'],
  },
  {
    name: 'network: only timeouts, nothing else known (weak)',
    e: evidence({ client: { trigger: { code: 'ping-timeout' }, attempts: attempts(after(5 * S), ['timeout', 5000], 'ok') }, server: null }),
    cause: 'network',
    facts: ['timed out'],
  },
  // firewall vs server-restart: refusals while the host answers; the sshd master's age decides
  {
    name: 'firewall: refused 3 times, host answers ping, master older than the outage',
    e: evidence({
      client: { icmpReachable: true, attempts: attempts(after(5 * S), ['refused', 50], ['refused', 50], ['refused', 50], 'ok') },
    }),
    cause: 'firewall',
    facts: ['port 22 refused for 2.1 s (3 attempts) while the host answered ping', 'sshd master started', 'before the outage'],
  },
  {
    name: 'firewall: dropped while ping answers, never reconnected',
    e: evidence({
      client: {
        icmpReachable: true,
        attempts: attempts(after(5 * S), ['timeout', 3000], ['timeout', 3000]),
      },
    }),
    cause: 'firewall',
    facts: ['port 22 dropped', 'while the host answered ping'],
  },
  {
    name: 'server-restart: refused, then the master is 2 s newer than the outage',
    e: evidence({
      client: { trigger: { code: 'EOF' }, icmpReachable: true, attempts: attempts(after(5 * S), ['refused', 50], ['refused', 50], 'ok') },
      server: { sshdMasterStartedAt: T0 + 2000, previousSessionAlive: false },
    }),
    cause: 'server-restart',
    facts: ['sshd master started 2 s after the outage began', 'port 22 refused', 'same boot'],
  },
  {
    name: 'server-restart: refused then accepted, no master start time known (weak)',
    e: evidence({
      client: { attempts: attempts(after(5 * S), ['refused', 50], 'ok') },
      server: { sshdMasterStartedAt: undefined },
    }),
    cause: 'server-restart',
    facts: ['port 22 refused', 'then accepted'],
  },
  // reboot
  {
    name: 'reboot: boot_id changed, tmux gone',
    e: evidence({ silenceMs: 8 * S, server: { bootIdAfter: BOOT_B, uptimeSec: 40, tmuxSessionAlive: false, previousSessionAlive: false } }),
    cause: 'reboot',
    facts: ['boot_id changed (3f2a… → 9c1e…)', 'tmux session gone'],
  },
  {
    name: 'reboot: no boot ids, uptime shorter than the outage',
    e: evidence({ silenceMs: 300 * S, server: { bootIdBefore: undefined, bootIdAfter: undefined, uptimeSec: 42 } }),
    cause: 'reboot',
    facts: ['server uptime 42 s is shorter than the outage'],
  },
  // session-killed
  {
    name: 'session-killed: EOF, tmux gone, OOM line, same boot and master',
    e: evidence({
      client: { trigger: { code: 'EOF' } },
      server: {
        previousSessionAlive: false,
        tmuxSessionAlive: false,
        oomLines: ['Out of memory: Killed process 4242 (tmux: server) total-vm:10240kB'],
      },
    }),
    cause: 'session-killed',
    facts: ['EOF', 'tmux session gone', 'kernel OOM killer: Out of memory: Killed process 4242', 'same boot', 'before the outage'],
  },
  {
    name: 'session-killed: EOF on a busy link, boot and master unchanged, no OOM',
    e: evidence({ silenceMs: 800, client: { trigger: { code: 'EOF' } } }),
    cause: 'session-killed',
    facts: ['the server closed the connection (EOF)', 'same boot'],
  },
  {
    name: 'session-killed: reset, our sshd process gone, reconnect at once, tmux and master unchanged',
    e: evidence({ silenceMs: 800, server: { sshdSessionAlive: false } }),
    cause: 'session-killed',
    facts: ["the old connection's sshd process was gone", 'the first reconnect got through at once', 'same boot'],
  },
  {
    name: 'network: the link went quiet and the reconnect hung 2.8 s, then got through; the server kept everything',
    e: evidence({ silenceMs: 3 * S, client: { trigger: { code: 'liveness-suspect' }, lastPingRttMs: 5, attempts: attempts(after(3 * S), ['ok', 2800]) } }),
    cause: 'network',
    facts: ['the reconnect hung for 2.8 s before it got through', 'nothing happened on its side'],
  },
  // client-suspend (beats idle-timeout when the clock drifted)
  {
    name: 'client-suspend: wall clock 2 h ahead of monotonic, link silent 2 h',
    e: evidence({
      silenceMs: 7200 * S,
      client: { drift: { timerLateMs: 7190 * S, wallAheadOfMonotonicMs: 7195 * S, detectedAt: T0 + 7200 * S } },
    }),
    cause: 'client-suspend',
    facts: ['the wall clock ran 1 h 59 min ahead of the monotonic clock (this machine slept)'],
  },
  {
    name: 'client-suspend: a timer fired 8 s late (process frozen)',
    e: evidence({ silenceMs: 9 * S, client: { drift: { timerLateMs: 8 * S, wallAheadOfMonotonicMs: 0, detectedAt: T0 + 9 * S } } }),
    cause: 'client-suspend',
    facts: ['a timer fired 8 s late'],
  },
  // refused-before-banner
  {
    name: 'refused-before-banner: closed before the banner 3 times, MaxStartups in the journal',
    e: evidence({
      client: { attempts: attempts(after(5 * S), 'closed-before-banner', 'closed-before-banner', 'closed-before-banner', 'ok') },
      server: { sshdJournalLines: ['sshd[812]: error: beginning MaxStartups throttling'] },
    }),
    cause: 'refused-before-banner',
    facts: ['accepted TCP but closed before the SSH banner (3 attempts', 'sshd journal: sshd[812]: error: beginning MaxStartups throttling'],
  },
  {
    name: 'refused-before-banner: once, then ok, no server facts',
    e: evidence({ client: { attempts: attempts(after(5 * S), 'closed-before-banner', 'ok') }, server: null }),
    cause: 'refused-before-banner',
    facts: ['closed before the SSH banner (1 attempt'],
  },
  // protocol
  {
    name: 'protocol: no common kex, both lists named',
    e: evidence({
      client: {
        attempts: attempts(after(5 * S), 'protocol'),
        algorithmMismatch: { kind: 'kex', client: ['curve25519-sha256', 'ecdh-sha2-nistp256'], server: ['diffie-hellman-group1-sha1'] },
      },
    }),
    cause: 'protocol',
    facts: ['no common kex algorithm: client offered curve25519-sha256, ecdh-sha2-nistp256; server offered diffie-hellman-group1-sha1'],
  },
  {
    name: 'protocol: handshake fails, lists unknown',
    e: evidence({ client: { attempts: attempts(after(5 * S), 'protocol', 'protocol') } }),
    cause: 'protocol',
    facts: ['the SSH handshake failed on reconnect (2 attempts)'],
  },
  // auth
  {
    name: 'auth: refused once, then authentication fails',
    e: evidence({ client: { attempts: attempts(after(5 * S), 'refused', 'auth') }, server: null }),
    cause: 'auth',
    facts: ['authentication failed on reconnect (1 attempt)'],
  },
  {
    name: 'auth: fails three times',
    e: evidence({ client: { attempts: attempts(after(5 * S), 'auth', 'auth', 'auth') }, server: null }),
    cause: 'auth',
    facts: ['(3 attempts)'],
  },
  // host-key-changed
  {
    name: 'host-key-changed: key differs from the pinned one',
    e: evidence({ client: { attempts: attempts(after(5 * S), 'host-key-changed') }, server: null }),
    cause: 'host-key-changed',
    facts: ['host key differs from the one pinned'],
  },
  {
    name: 'host-key-changed: even when the boot changed too (reinstall)',
    e: evidence({ client: { attempts: attempts(after(5 * S), 'refused', 'host-key-changed') }, server: { bootIdAfter: BOOT_B } }),
    cause: 'host-key-changed',
    facts: ['host key differs', 'boot_id changed'],
  },
  // unknown
  {
    name: 'unknown: a reset with no attempts and no server facts',
    e: evidence({ client: { attempts: [] }, server: null }),
    cause: 'unknown',
    facts: ['trigger: ECONNRESET', 'link died after 5 s of silence', 'no server-side facts'],
  },
  {
    name: 'unknown: a short ping timeout, reconnected at once',
    e: evidence({ client: { trigger: { code: 'ping-timeout' } }, server: null }),
    cause: 'unknown',
    facts: ['trigger: ping-timeout', 'reconnect attempts over', 'ok ×1'],
  },
];

for (const row of rows) {
  test(`classify: ${row.name}`, () => {
    const d = classify(row.e);
    assert.equal(d.cause, row.cause, `evidence: ${d.evidence.join(' | ')}`);
    assert.ok(d.confidence > 0 && d.confidence <= 1, `confidence ${d.confidence}`);
    for (const f of row.facts) {
      assert.ok(d.evidence.some((l) => l.includes(f)), `no evidence line names "${f}": ${JSON.stringify(d.evidence)}`);
    }
    assert.ok(d.advice.length > 0, 'advice');
  });
}

test('classify: every cause has at least two rows', () => {
  for (const c of CAUSES) assert.ok(rows.filter((r) => r.cause === c).length >= 2, c);
});

/** Pairs (weaker, stronger) of the same cause: corroborating facts must raise the confidence. */
const corroboration: [string, string][] = [
  ['idle: ping timeout after 350 s silence, reconnect at once, no server facts', 'idle: reset after 301 s silence, reconnect at once, same boot, master and session'],
  ['network: only timeouts, nothing else known (weak)', 'network: long silence, then attempts time out while ping fails'],
  ['server-restart: refused then accepted, no master start time known (weak)', 'server-restart: refused, then the master is 2 s newer than the outage'],
  ['reboot: no boot ids, uptime shorter than the outage', 'reboot: boot_id changed, tmux gone'],
  ['session-killed: EOF on a busy link, boot and master unchanged, no OOM', 'session-killed: EOF, tmux gone, OOM line, same boot and master'],
  ['client-suspend: a timer fired 8 s late (process frozen)', 'client-suspend: wall clock 2 h ahead of monotonic, link silent 2 h'],
  ['refused-before-banner: once, then ok, no server facts', 'refused-before-banner: closed before the banner 3 times, MaxStartups in the journal'],
  ['protocol: handshake fails, lists unknown', 'protocol: no common kex, both lists named'],
];

for (const [weak, strong] of corroboration) {
  test(`confidence: "${strong}" > "${weak}"`, () => {
    const w = rows.find((r) => r.name === weak);
    const s = rows.find((r) => r.name === strong);
    assert.ok(w && s, 'rows exist');
    assert.ok(classify(s.e).confidence > classify(w.e).confidence, `${classify(s.e).confidence} vs ${classify(w.e).confidence}`);
  });
}

test('ambiguous pair: the same refusals read as firewall or server-restart by the master start time only', () => {
  const base = { client: { icmpReachable: true, attempts: attempts(after(5 * S), 'refused', 'refused', 'ok') } };
  const fw = classify(evidence({ ...base, server: { sshdMasterStartedAt: T0 - 3600 * S } }));
  const sr = classify(evidence({ ...base, server: { sshdMasterStartedAt: T0 + 2 * S } }));
  assert.equal(fw.cause, 'firewall');
  assert.equal(sr.cause, 'server-restart');
  assert.equal(confidenceLabel(fw.confidence), 'high');
  assert.equal(confidenceLabel(sr.confidence), 'high');
});

test('ambiguous pair: the same 300 s silence reads as idle-timeout or network by reachability', () => {
  const idle = classify(evidence({ silenceMs: 300 * S }));
  const net = classify(
    evidence({ silenceMs: 300 * S, client: { icmpReachable: false, attempts: attempts(after(300 * S), ['timeout', 4000], 'ok') } }),
  );
  assert.equal(idle.cause, 'idle-timeout');
  assert.equal(net.cause, 'network');
  assert.equal(idle.idleLimitMs, 300 * S);
  assert.equal(net.idleLimitMs, undefined);
});

test('idle-timeout is not blamed when the interface went down', () => {
  const ifDown = classify(
    evidence({ silenceMs: 300 * S, client: { interfaceChanges: [{ at: T0 + 5, kind: 'down', iface: 'eth0' }] } }),
  );
  assert.equal(ifDown.cause, 'network');
});

test('the firewall row offers server-restart as no alternative once the master is older', () => {
  const d = classify(rows.find((r) => r.cause === 'firewall')?.e ?? evidence());
  assert.ok(!d.alternatives.some((a) => a.cause === 'server-restart'));
});

test('confidenceLabel thresholds', () => {
  assert.equal(confidenceLabel(0.95), 'high');
  assert.equal(confidenceLabel(0.8), 'high');
  assert.equal(confidenceLabel(0.6), 'medium');
  assert.equal(confidenceLabel(0.2), 'low');
});

test('server-restart from a replaced sshd listener when its start time is unknown', () => {
  const base = { client: { icmpReachable: true, attempts: attempts(after(5 * S), 'refused', 'refused', 'ok') } };
  const sr = classify(evidence({ ...base, server: { sshdMasterStartedAt: undefined, sshdMasterReplaced: true } }));
  const fw = classify(evidence({ ...base, server: { sshdMasterStartedAt: undefined, sshdMasterReplaced: false } }));
  assert.equal(sr.cause, 'server-restart');
  assert.ok(sr.evidence.some((l) => l.includes('different process than at connect')), sr.evidence.join(' | '));
  assert.equal(fw.cause, 'firewall');
});

test('ambiguous pair: port 22 blocked while idle is a firewall, not an idle timeout, when ping answers but the port does not', () => {
  const blocked = classify(
    evidence({
      silenceMs: 27 * S,
      client: {
        trigger: { code: 'ping-timeout' },
        icmpReachable: true,
        attempts: attempts(after(27 * S), ['timeout', 3000], ['timeout', 3000], ['timeout', 3000], 'ok'),
      },
    }),
  );
  assert.equal(blocked.cause, 'firewall', blocked.evidence.join(' | '));
  assert.equal(confidenceLabel(blocked.confidence), 'high');
  assert.ok(blocked.evidence.some((l) => l.includes('port 22 dropped for') && l.includes('while the host answered ping')));
  assert.notEqual(blocked.idleLimitMs, 27 * S);
});

test('a REJECT with an ICMP error while ping answers is a firewall, not the network', () => {
  const d = classify(
    evidence({
      client: { icmpReachable: true, attempts: attempts(after(5 * S), 'unreachable', 'unreachable'), trigger: { code: 'ping-timeout' } },
      server: null,
    }),
  );
  assert.equal(d.cause, 'firewall', d.evidence.join(' | '));
  assert.ok(d.evidence.some((l) => l.includes('rejected (unreachable)')));
});

test('idle timeout with a short lab limit: silence just past the 25 s keep-alive bounds it', () => {
  const d = classify(evidence({ silenceMs: 20 * S, client: { trigger: { code: 'ping-timeout' }, keepaliveMs: 25 * S } }));
  assert.equal(d.cause, 'idle-timeout', d.evidence.join(' | '));
  assert.equal(d.idleLimitMs, 20 * S);
  assert.ok(d.advice[0]?.startsWith('tether now pings every 10 s on this host'), d.advice[0]);
  assert.ok(d.advice[0]?.includes('`ServerAliveInterval 10`'), d.advice[0]);
  // below both the absolute minimum and 0.8 × keep-alive it is not an idle timeout
  assert.notEqual(classify(evidence({ silenceMs: 12 * S, client: { trigger: { code: 'ping-timeout' } } })).cause, 'idle-timeout');
});

test('EOF while the old connection\'s sshd is still alive is not a killed session', () => {
  const d = classify(evidence({ client: { trigger: { code: 'EOF' } }, server: { sshdSessionAlive: true } }));
  assert.notEqual(d.cause, 'session-killed');
});

test('an sshd restart during a long silence does not explain a reset without refusals or EOF', () => {
  const quiet = classify(evidence({ silenceMs: 300 * S, server: { sshdMasterStartedAt: T0 + 100 * S } }));
  assert.equal(quiet.cause, 'idle-timeout', quiet.evidence.join(' | '));
  assert.ok(quiet.confidence < classify(evidence({ silenceMs: 300 * S })).confidence);
  assert.ok(quiet.alternatives.some((a) => a.cause === 'server-restart'));
  const refused = classify(
    evidence({
      silenceMs: 300 * S,
      client: { attempts: attempts(after(300 * S), 'refused', 'ok') },
      server: { sshdMasterStartedAt: T0 + 100 * S },
    }),
  );
  assert.equal(refused.cause, 'server-restart');
});

test('with tmux, only the tmux session tells whether the session was killed', () => {
  const clientGone = classify(evidence({ server: { tmuxSessionAlive: true, previousSessionAlive: false } }));
  assert.notEqual(clientGone.cause, 'session-killed', clientGone.evidence.join(' | '));
  const tmuxGone = classify(evidence({ server: { tmuxSessionAlive: false, previousSessionAlive: false } }));
  assert.equal(tmuxGone.cause, 'session-killed', tmuxGone.evidence.join(' | '));
  const shellGone = classify(
    evidence({ server: { tmuxSessionAlive: undefined, previousSessionAlive: false, oomLines: ['Out of memory: Killed process 77 (bash)'] } }),
  );
  assert.equal(shellGone.cause, 'session-killed', shellGone.evidence.join(' | '));
});

test("recovery's trigger names count: liveness-dead as a ping timeout, network-changed as a network signal, suspend", () => {
  const idle = classify(evidence({ silenceMs: 300 * S, client: { trigger: { code: 'liveness-dead' } } }));
  assert.equal(idle.cause, 'idle-timeout');
  assert.ok(idle.evidence.some((l) => l.includes('liveness-dead on the first packet after the silence')), idle.evidence.join(' | '));
  const net = classify(evidence({ silenceMs: 300 * S, client: { trigger: { code: 'network-changed' } } }));
  assert.equal(net.cause, 'network', net.evidence.join(' | '));
  assert.ok(net.evidence.includes('the local network changed (interface, address or route)'));
  const sus = classify(evidence({ client: { trigger: { code: 'suspend' } } }));
  assert.equal(sus.cause, 'client-suspend');
});
