// A real reset in the fault lab reaches a real rsyslogd: tether (configured with `syslog tcp://…`) heals a firewall
// RST, writes the record to its history, and the same record arrives as an RFC 5424 line with its structured data.
// A second sink (OTLP) is down all along: its error is in its status file and its event stays queued, off screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healCase } from '../helpers/tether-lab-case.js';
import { shortTcpRetries, typeLine, waitForOutage, waitForResets, writeSettings } from '../helpers/tether-lab.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, rsyslogMissing, sdParams, startRsyslog } from '../helpers/rsyslog.js';

test('a firewall reset in the lab arrives at rsyslog with the history record as structured data', { skip: rsyslogMissing(), timeout: 120_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start, scratch }) => {
    // the receiver runs where tether runs: in the client's namespace, on its loopback
    const rs = await startRsyslog((cmd, args) => lab.clientArgv(cmd, args));
    t.after(() => rs.dispose());
    const configHome = scratch('config');
    const deadOtlp = `http://127.0.0.1:${await freePort()}`;
    writeSettings(configHome, { syslog: `tcp://127.0.0.1:${rs.tcpPort}`, otlp: deadOtlp });
    await shortTcpRetries(lab);
    const r = await start({ configHome });
    await lab.blockPort('rst');
    typeLine(r, '');
    await waitForOutage(r, 30_000);
    await new Promise((res) => setTimeout(res, 2000));
    await lab.unblockPort();
    await waitForResets(r, 1, 45_000);
    const [msg] = await rs.waitFor(1, 20_000);
    // the slow evidence may follow as an update: the same id again, with the record's final fields
    await new Promise((res) => setTimeout(res, 3000));
    const rec = r.resets()[0];
    const last = rs.received().at(-1);
    assert.ok(msg && rec);
    const p = sdParams(msg.sd);
    assert.equal(p.id, rec.id);
    assert.equal(p.kind, 'reset');
    assert.equal(p.host, rec.host);
    assert.equal(p.user, 'tetherlab');
    assert.equal(p.outcome, rec.outcome);
    assert.equal(p.trigger, rec.trigger);
    assert.equal(p.detectedAt, rec.detectedAt);
    const q = sdParams(last?.sd ?? '');
    assert.equal(q.id, rec.id);
    assert.equal(q.cause, rec.cause);
    assert.equal(rs.received().length, q.kind === 'update' ? 2 : 1, 'the record once, and its update at most once');
    assert.match(msg.raw, /^<1[23]>1 \S+ \S+ tether \d+ b1a7e3d42c6f4f0e9d5a8c3e7f21a6d0 \[tether@32473 /);
    const otlpDir = join(r.stateHome, 'tether', 'sinks', 'otlp');
    // the exporter retries a refused connection for up to its 5 s timeout before it reports the failure
    const readStatus = (): string => (existsSync(join(otlpDir, 'status.json')) ? readFileSync(join(otlpDir, 'status.json'), 'utf8') : '');
    for (const end = Date.now() + 20_000; !/lastError/.test(readStatus()) && Date.now() < end; ) await new Promise((res) => setTimeout(res, 200));
    const status = readStatus();
    assert.match(status, /"lastError":"[^"]*ECONNREFUSED/);
    assert.ok(readdirSync(otlpDir).filter((n) => /^\d+-\d+-\d+\.json$/.test(n)).length >= 1, 'the OTLP event waits in its queue');
    // nothing of the sinks on the user's screen
    assert.doesNotMatch(r.driver.screenText(), /syslog|otlp|ECONNREFUSED|tether@32473|v1\/logs/i);
  });
});
