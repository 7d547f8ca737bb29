import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlgorithmMismatch } from '../../diagnosis/evidence.js';
import { emptyServerFacts } from '../../remote/evidence-parse.js';
import { exitStatusFor, findingsFor } from './findings.js';
import { isLoopback } from './findings-reach.js';
import type { DoctorReport, Finding } from './types.js';

const T = { alias: 'web', hostname: 'web.example', port: 22, user: 'ann' };
const OPEN = { outcomes: ['open', 'open', 'open', 'open', 'open'] as const, rttMs: [1, 2, 3, 4, 5], banner: 'SSH-2.0-OpenSSH_9.6', bannerMs: 9 };
const PING_OK = { status: 'answered', sent: 3, received: 3, avgMs: 1 } as const;
const LOGIN_OK = { ok: true, offered: ['publickey', 'password'], method: 'publickey' } as const;

function report(over: Partial<DoctorReport>): DoctorReport {
  return { target: T, icmp: PING_OK, tcp: OPEN, serverAliveInterval: 0, ...over };
}

const ids = (fs: readonly Finding[]): string[] => fs.map((f) => f.id);
const byId = (fs: readonly Finding[], id: string): Finding => {
  const f = fs.find((x) => x.id === id);
  assert.ok(f, `${id} in ${ids(fs).join(',')}`);
  return f;
};

test('healthy: exit 0, and the ServerAliveInterval lines under Host <alias>', () => {
  const r = report({ login: LOGIN_OK });
  const fs = findingsFor(r);
  assert.deepEqual(ids(fs), ['client-keepalive']);
  assert.deepEqual(byId(fs, 'client-keepalive').config, [{ file: '~/.ssh/config', lines: ['Host web', '    ServerAliveInterval 60'] }]);
  assert.equal(exitStatusFor(r, fs), 0);
  assert.deepEqual(ids(findingsFor(report({ login: LOGIN_OK, serverAliveInterval: 30 }))), []);
});

test('RST on a remote port while ping answers: nothing listens or a firewall rejects, never "down"', () => {
  const r = report({ tcp: { outcomes: ['refused', 'refused'], rttMs: [], errno: 'ECONNREFUSED' } });
  const fs = findingsFor(r);
  const f = byId(fs, 'port-refused');
  assert.match(f.title, /^nothing listens on port 22 of web\.example, or a firewall rejects it: the port refuses connections \(TCP RST\) while the host answers ping/);
  assert.doesNotMatch(f.title, /down;|is down/);
  assert.ok(f.advice.some((a) => a.includes('iptables -L -n -v')));
  assert.deepEqual(f.config?.[0]?.lines, ['sudo iptables -I INPUT -p tcp --dport 22 -j ACCEPT']);
  assert.equal(exitStatusFor(r, fs), 1);
  // without ICMP the refusal is still a port problem: something answered
  assert.deepEqual(ids(findingsFor({ ...r, icmp: { status: 'no-answer', sent: 3, received: 0 } })), ['port-refused']);
});

test('silent drop: a firewall when ping answers; unreachable when nothing answers; unsure without ping', () => {
  const tcp = { outcomes: ['timeout', 'timeout'] as const, rttMs: [], errno: 'ETIMEDOUT' };
  assert.match(byId(findingsFor(report({ tcp })), 'port-filtered').title, /^firewall: port 22 on web\.example is silently dropped/);
  const down = byId(findingsFor(report({ tcp, icmp: { status: 'no-answer', sent: 3, received: 0 } })), 'host-unreachable');
  assert.match(down.title, /neither ping nor port 22 answers/);
  assert.match(byId(findingsFor(report({ tcp, icmp: { status: 'not-checked', why: 'no ping binary' } })), 'port-no-answer').title, /ICMP not checked/);
  const unreach = { outcomes: ['unreachable', 'unreachable'] as const, rttMs: [], errno: 'ENETUNREACH' };
  assert.match(byId(findingsFor(report({ tcp: unreach })), 'host-unreachable').title, /no route/);
});

test('closed before the banner: MaxStartups / fail2ban / hosts.deny, with the sshd_config line', () => {
  const tcp = { outcomes: ['closed-before-banner', 'closed-before-banner'] as const, rttMs: [1, 1], errno: 'EOF' };
  const f = byId(findingsFor(report({ tcp, login: { ok: false, errorKind: 'closed-before-banner', offered: [] } })), 'closed-before-banner');
  assert.match(f.title, /MaxStartups, fail2ban, or TCP wrappers/);
  assert.deepEqual(f.config, [{ file: '/etc/ssh/sshd_config', lines: ['MaxStartups 10:30:100'] }]);
  assert.ok(f.advice.some((a) => a.includes('fail2ban-client')));
});

test('some connects lost: a loss warning, exit still 0 when login works', () => {
  const r = report({ tcp: { outcomes: ['open', 'timeout', 'open'], rttMs: [1, 2] }, login: LOGIN_OK });
  const fs = findingsFor(r);
  assert.match(byId(fs, 'tcp-loss').title, /^1 of 3 TCP connects/);
  assert.equal(exitStatusFor(r, fs), 0);
});

test('no common kex: both lists and the KexAlgorithms line for Host <alias>', () => {
  const mismatch: AlgorithmMismatch = { kind: 'kex', client: ['curve25519-sha256'], server: ['diffie-hellman-group1-sha1'] };
  const login = { ok: false, errorKind: 'protocol', offered: [], message: 'Unable to negotiate', mismatch } as const;
  const f = byId(findingsFor(report({ login })), 'algorithms');
  assert.deepEqual(f.config, [{ file: '~/.ssh/config', lines: ['Host web', '    KexAlgorithms +diffie-hellman-group1-sha1'] }]);
  assert.ok(f.evidence.includes('theirs: diffie-hellman-group1-sha1'));
});

test('auth failure names the offered methods', () => {
  const login = { ok: false, errorKind: 'auth', offered: ['publickey', 'keyboard-interactive'], message: 'ann@web.example: Permission denied (publickey,keyboard-interactive).' } as const;
  assert.match(byId(findingsFor(report({ login })), 'auth').title, /server offers publickey, keyboard-interactive/);
});

test('server side: OOM lines, low memory, overload, and the ClientAlive lines when sshd sends none', () => {
  const facts = { ...emptyServerFacts(), complete: true, memAvailableKb: 50 * 1024, loadAvg: [9, 8, 7] as [number, number, number], oom: [{ text: 'Out of memory: Killed process 42 (sshd)' }] };
  const fs = findingsFor(report({ login: LOGIN_OK, server: { facts, clientAlive: { source: 'sshd_config', interval: 0, countMax: 3 }, nproc: 2 } }));
  for (const id of ['oom', 'low-memory', 'high-load', 'server-keepalive']) byId(fs, id);
  assert.deepEqual(byId(fs, 'server-keepalive').config, [{ file: '/etc/ssh/sshd_config', lines: ['ClientAliveInterval 60', 'ClientAliveCountMax 3'] }]);
  const set = findingsFor(report({ login: LOGIN_OK, server: { facts: emptyServerFacts(), clientAlive: { source: 'sshd -T', interval: 30, countMax: 3 } } }));
  assert.ok(!ids(set).includes('server-keepalive'));
});

test('a measured idle limit: ServerAliveInterval from the limit, and it replaces the generic keep-alive finding', () => {
  const idle = { bounds: { lowerMs: 18_800, upperMs: 22_200 }, estimateMs: 20_430, keepaliveMs: 11_100, rounds: 1, converged: true, consistent: true, maxWaitMs: 60_000, errors: 0, serverTraffic: false };
  const fs = findingsFor(report({ login: LOGIN_OK, idle }));
  const f = byId(fs, 'idle-limit');
  assert.match(f.title, /after about 20 s/);
  assert.deepEqual(f.config?.[0], { file: '~/.ssh/config', lines: ['Host web', '    ServerAliveInterval 10'] });
  assert.ok(!ids(fs).includes('client-keepalive'));
  const none = findingsFor(report({ login: LOGIN_OK, idle: { ...idle, bounds: { lowerMs: 60_000, upperMs: undefined }, estimateMs: undefined } }));
  assert.match(byId(none, 'idle-no-limit').title, /no idle limit found up to 60\.0 s/);
});

test('errors sort first', () => {
  const fs = findingsFor(report({ tcp: { outcomes: ['open', 'closed-before-banner'], rttMs: [1, 1] }, login: { ok: false, errorKind: 'auth', offered: ['password'] } }));
  assert.equal(fs[0]?.severity, 'error');
});

/** The first finding's id and title for a port outcome on a host, ping answering. */
function reach(hostname: string, outcome: 'refused' | 'timeout' | 'unreachable', icmp: DoctorReport['icmp'] = PING_OK): Finding {
  const errno = { refused: 'ECONNREFUSED', timeout: 'ETIMEDOUT', unreachable: 'EHOSTUNREACH' }[outcome];
  const r = report({ target: { ...T, hostname }, icmp, tcp: { outcomes: [outcome, outcome], rttMs: [], errno } });
  const f = findingsFor(r)[0];
  assert.ok(f);
  return f;
}

test('doctor wording: refused / filtered / unreachable ports on loopback and remote addresses', () => {
  const NO_PING = { status: 'no-answer', sent: 3, received: 0 } as const;
  const table: [string, 'refused' | 'timeout' | 'unreachable', DoctorReport['icmp'], string, RegExp][] = [
    ['127.0.0.1', 'refused', PING_OK, 'port-closed', /^nothing listens on port 22 of 127\.0\.0\.1 \(this machine\): the connection is refused$/],
    ['localhost', 'refused', PING_OK, 'port-closed', /^nothing listens on port 22 of localhost \(this machine\)/],
    ['::1', 'refused', PING_OK, 'port-closed', /^nothing listens on port 22 of ::1/],
    ['198.51.100.7', 'refused', PING_OK, 'port-refused', /^nothing listens on port 22 of 198\.51\.100\.7, or a firewall rejects it: the port refuses connections \(TCP RST\) while the host answers ping; .* so the host is up$/],
    ['198.51.100.7', 'refused', NO_PING, 'port-refused', /^nothing listens on port 22 of 198\.51\.100\.7, or a firewall rejects it: the port refuses connections \(TCP RST\); /],
    ['127.0.0.1', 'timeout', PING_OK, 'port-filtered', /^port 22 of 127\.0\.0\.1 \(this machine\) drops connections silently: only a local firewall rule/],
    ['198.51.100.7', 'timeout', PING_OK, 'port-filtered', /^firewall: port 22 on 198\.51\.100\.7 is silently dropped \(no answer at all\) while the host answers ping$/],
    ['198.51.100.7', 'timeout', NO_PING, 'host-unreachable', /^198\.51\.100\.7 cannot be reached: neither ping nor port 22 answers/],
    ['198.51.100.7', 'unreachable', NO_PING, 'host-unreachable', /^198\.51\.100\.7 cannot be reached: no route to it from here/],
  ];
  for (const [host, outcome, icmp, id, title] of table) {
    const f = reach(host, outcome, icmp);
    assert.equal(f.id, id, `${host} ${outcome}: ${f.title}`);
    assert.match(f.title, title, `${host} ${outcome}`);
  }
  // nothing on this machine's own port is a firewall to open
  for (const outcome of ['refused', 'timeout'] as const) {
    const f = reach('127.0.0.1', outcome);
    assert.equal(f.config, undefined, `${outcome}: no firewall lines to add`);
    assert.ok(!f.advice.some((a) => /iptables -I INPUT/.test(a)), f.advice.join('\n'));
  }
  assert.ok(!/firewall/.test(reach('127.0.0.1', 'refused').title));
});

test('isLoopback: names and addresses of this machine only', () => {
  for (const h of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]', 'foo.localhost']) assert.ok(isLoopback(h), h);
  for (const h of ['web.example', '10.0.0.1', '128.0.0.1', 'localhost.example.com', '::2']) assert.ok(!isLoopback(h), h);
});
