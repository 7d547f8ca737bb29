// Whole outages played through the real components (liveness, machine, held input) with a fake clock and network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from './backoff.js';
import { HeldInput } from './input-buffer.js';
import { LivenessEstimator } from './liveness.js';
import { SESSION_LIVENESS } from './liveness-tuning.js';
import { createSessionMachine } from './session-machine.js';
import { initialSessionState } from './session-state.js';
import type { EndedOutage, SessionEffect, SessionEvent, SessionState } from './session-types.js';

/** A recorded outage with what the history reads of its end. */
interface Recorded extends EndedOutage {
  readonly outcome: EndedOutage['end']['outcome'];
  readonly restoredAt: number | undefined;
  readonly linkDied: boolean;
}

/** The fake world: one path that is up or down, links that survive an outage or not. */
interface World {
  /** [from, to) intervals during which nothing crosses the path. */
  outages: [number, number][];
  /** Whether the link open before an outage still works after it (TCP survives a short blackhole). */
  oldLinkSurvives: boolean;
  rttMs: number;
  connectTimeoutMs: number;
  /** Share of packets lost (each direction); TCP retransmits a lost one after 200, 400, 800 ... ms. */
  loss?: number;
}

class Sim {
  now = 0;
  state: SessionState = initialSessionState(1);
  readonly machine = createSessionMachine({ random: seededRandom(3) });
  readonly liveness: LivenessEstimator;
  readonly held = new HeldInput();
  /** Bytes the remote shell received, in order. */
  readonly delivered: string[] = [];
  readonly records: Recorded[] = [];
  readonly log: string[] = [];
  exitCode: number | undefined;
  /** Links that died in an outage (the server side is gone). */
  private readonly deadLinks = new Set<number>();
  private queue: { at: number; seq: number; run: () => void }[] = [];
  private seq = 0;

  private readonly random: () => number;
  /** Until when the old link is stalled while the path answers (see stall). */
  private stalledUntil = -1;

  constructor(private readonly world: World, seed = 11) {
    this.random = seededRandom(seed);
    this.liveness = new LivenessEstimator(0, { ...SESSION_LIVENESS, initialRtt: { srtt: world.rttMs, rttvar: world.rttMs / 6 } });
  }

  /** The old link alone goes silent for ms (its bytes arrive after), while the path and new links work. */
  stall(ms: number): void {
    this.stalledUntil = this.now + ms;
  }

  /** Extra delay of one segment from TCP retransmissions on a lossy path. */
  private lossDelay(): number {
    let delay = 0;
    for (let rto = 200; this.random() < (this.world.loss ?? 0); rto *= 2) delay += rto;
    return delay;
  }

  up(t: number): boolean {
    return !this.world.outages.some(([a, b]) => t >= a && t < b);
  }
  /** When something sent at t gets through (after the outage it falls in, if the link survives). */
  private through(t: number): number {
    const o = this.world.outages.find(([a, b]) => t >= a && t < b);
    return o === undefined ? t : o[1];
  }
  private linkWorks(id: number, t: number): boolean {
    if (this.deadLinks.has(id)) return false;
    if (!this.up(t) && !this.world.oldLinkSurvives) {
      this.deadLinks.add(id);
      return false;
    }
    return true;
  }

  at(t: number, run: () => void): void {
    this.queue.push({ at: t, seq: this.seq++, run });
    this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /** Keys typed by the user now. */
  type(text: string): void {
    if (this.machine.status(this.state, this.now).holdInput) {
      this.held.push(new TextEncoder().encode(text));
      return;
    }
    const id = this.state.linkId ?? -1;
    this.liveness.onUserInput(this.now);
    if (!this.linkWorks(id, this.now)) return; // lost with the dead link
    const arrive = Math.max(this.through(this.now), id === 1 ? this.stalledUntil : -1) + this.world.rttMs / 2 + this.lossDelay();
    this.at(arrive, () => this.delivered.push(text));
    this.at(arrive + this.world.rttMs / 2 + this.lossDelay(), () => this.bytesFrom(id));
  }

  private bytesFrom(id: number): void {
    if (id !== this.state.linkId || !this.linkWorks(id, this.now)) return;
    if (this.liveness.onData(this.now)) this.feed({ type: 'old-link-alive', linkId: id });
  }

  feed(event: SessionEvent): void {
    const t = this.machine.reduce(this.state, event, this.now);
    this.state = t.state;
    for (const e of t.effects) this.perform(e);
  }

  private perform(e: SessionEffect): void {
    this.log.push(`${this.now} ${e.type}${'linkId' in e ? ` ${e.linkId}` : ''}`);
    const rtt = this.world.rttMs;
    switch (e.type) {
      case 'openLink':
      case 'openParallelLink': {
        const ok = this.up(this.now);
        const ready = e.type === 'openLink' ? 'attempt-succeeded' : 'candidate-ready';
        if (ok) this.at(this.now + 3 * rtt + this.lossDelay(), () => this.feed({ type: ready, linkId: e.linkId }));
        else this.at(this.now + this.world.connectTimeoutMs, () =>
          this.feed({ type: 'attempt-failed', linkId: e.linkId, kind: 'connect', code: 'ETIMEDOUT', fatal: false, message: 'timed out' }));
        break;
      }
      case 'startProbe': {
        // a lost SYN or SYN-ACK is retried only after a second: the probe times out
        const ok = this.up(this.now) && this.random() >= 2 * (this.world.loss ?? 0);
        this.at(this.now + (ok ? rtt : e.timeoutMs), () => this.feed({ type: 'probe-result', probeId: e.probeId, ok }));
        break;
      }
      case 'restore':
        this.liveness.restart(this.now);
        this.at(this.now + 2 * rtt, () => this.feed({ type: 'restore-done', linkId: e.linkId, newSession: false }));
        break;
      case 'flushHeldInput': {
        const text = new TextDecoder().decode(this.held.flush());
        if (text !== '') this.at(this.now + rtt / 2, () => this.delivered.push(text));
        break;
      }
      case 'checkLink':
        this.liveness.expectReply(this.now);
        break;
      case 'recordReset':
        this.records.push({
          ...e.outage,
          outcome: e.outage.end.outcome,
          restoredAt: e.outage.end.restored ? e.outage.end.at : undefined,
          linkDied: e.outage.downAt !== undefined,
        });
        break;
      case 'exit':
        this.exitCode = e.code;
        break;
      default:
        break;
    }
  }

  private ping(): void {
    const id = this.state.linkId;
    if (id === undefined || !this.linkWorks(id, this.now)) return;
    const sent = this.now;
    const back = Math.max(this.through(sent), id === 1 ? this.stalledUntil : -1) + this.world.rttMs + this.lossDelay() + this.lossDelay();
    this.at(back, () => {
      if (id !== this.state.linkId || !this.linkWorks(id, this.now)) return;
      if (this.liveness.onPingReply(this.now, this.now - sent)) this.feed({ type: 'old-link-alive', linkId: id });
    });
  }

  run(until: number): void {
    for (let guard = 0; guard < 200_000 && this.exitCode === undefined; guard++) {
      const next = Math.min(this.queue[0]?.at ?? Infinity, this.liveness.nextDeadline(), this.machine.nextDeadline(this.state));
      if (next > until) break;
      this.now = Math.max(this.now, next);
      const item = this.queue[0];
      if (item !== undefined && item.at <= this.now) {
        this.queue.shift();
        item.run();
        continue;
      }
      if (this.liveness.nextDeadline() <= this.now) {
        const v = this.liveness.tick(this.now);
        const linkId = this.state.linkId;
        if (v === 'send-ping') this.ping();
        else if ((v === 'suspect' || v === 'dead') && linkId !== undefined) {
          this.feed({ type: 'liveness', linkId, verdict: v, lastHeardAt: this.liveness.snapshot().lastHeardAt, rtoMs: this.world.rttMs * 2 });
        }
        continue;
      }
      this.feed({ type: 'tick' });
    }
  }
}

/** Schedules a keystroke every `every` ms in [from, to); returns [time, key] pairs. */
function typing(sim: Sim, from: number, to: number, every: number): [number, string][] {
  const keys: [number, string][] = [];
  for (let t = from, i = 0; t < to; t += every, i++) {
    const k = String.fromCharCode(97 + (i % 26));
    keys.push([t, k]);
    sim.at(t, () => sim.type(k));
  }
  return keys;
}

const text = (keys: [number, string][]): string => keys.map(([, k]) => k).join('');

test('a 3 s stall with the path answering (the old link stalled alone) costs nothing: survived, nothing lost', () => {
  // the old link is silent for 3 s but the host answers probes (e.g. a stalled middlebox queue): make before break
  const sim = new Sim({ outages: [], oldLinkSurvives: true, rttMs: 30, connectTimeoutMs: 3_000 });
  const keys = typing(sim, 5_000, 20_000, 200);
  sim.at(10_000, () => sim.stall(3_000));
  sim.run(40_000);
  assert.equal(sim.delivered.join(''), text(keys));
  assert.equal(sim.records.length, 1, sim.log.join('\n'));
  assert.equal(sim.records[0]?.outcome, 'survived');
  assert.equal(sim.records[0]?.linkDied, false);
  assert.equal(sim.state.name, 'connected');
  assert.equal(sim.state.linkId, 1);
  // The parallel candidate was tried and closed.
  assert.ok(sim.log.some((l) => l.endsWith('openParallelLink 2')));
  assert.ok(sim.log.some((l) => l.endsWith('closeLink 2')));
});

test('a dead path while typing: dead within 1 s, restored within 250 ms of the path coming back, held keys delivered', () => {
  const sim = new Sim({ outages: [[10_000, 25_000]], oldLinkSurvives: false, rttMs: 2, connectTimeoutMs: 10_000 });
  const keys = typing(sim, 5_000, 35_000, 200);
  sim.run(60_000);
  const [rec] = sim.records;
  assert.equal(sim.records.length, 1);
  assert.ok(rec !== undefined);
  assert.equal(rec.outcome, 'restored');
  assert.equal(rec.linkDied, true);
  // First key into the dead path at 10.0 s: suspect 400 ms later, dead when the path check found nothing.
  assert.ok(rec.detectedAt > 10_000 && rec.detectedAt <= 10_500, `suspect at ${rec.detectedAt}`);
  const deadAt = Number(sim.log.find((l) => l.endsWith('closeLink 1'))?.split(' ')[0]);
  assert.ok(deadAt > 10_000 && deadAt <= 11_000, `dead at ${deadAt}`);
  assert.ok(rec.restoredAt !== undefined && rec.restoredAt > 25_000 && rec.restoredAt <= 25_250, `restored at ${rec.restoredAt}`);
  assert.ok(rec.probesFailed > 50, `${rec.probesFailed} failed probes`);
  assert.equal(sim.state.name, 'connected');
  // Keys sent into the dead link before detection are lost (under a second); every key typed after
  // detection was held and arrives exactly once, in typing order, before the keys typed after restore.
  const lost = keys.filter(([t]) => t >= 10_000 && t <= rec.detectedAt);
  assert.ok(lost.length > 0 && lost.length <= 5, `${lost.length} lost`);
  assert.equal(sim.delivered.join(''), text(keys.filter((k) => !lost.includes(k))));
  assert.equal(sim.held.status().bytes, 0);
});

test('an attempt opened into the outage (10 s connect timeout) does not hold up the restore', () => {
  // the fault ends at several phases relative to the attempts and probes: the restore follows within 250 ms each time
  for (const end of [10_900, 11_050, 12_345, 18_000, 19_990]) {
    const sim = new Sim({ outages: [[10_000, end]], oldLinkSurvives: false, rttMs: 2, connectTimeoutMs: 10_000 });
    typing(sim, 5_000, end + 3_000, 200);
    sim.run(end + 20_000);
    const rec = sim.records[0];
    assert.equal(sim.records.length, 1, `fault until ${end}`);
    assert.ok(rec?.restoredAt !== undefined && rec.restoredAt - end <= 250, `fault until ${end}: restored at ${rec?.restoredAt}`);
  }
});

test('5 % packet loss for ten minutes of typing is no outage: nothing recorded, the same link all along', () => {
  for (const seed of [1, 2, 3]) {
    const sim = new Sim({ outages: [], oldLinkSurvives: true, rttMs: 2, connectTimeoutMs: 10_000, loss: 0.05 }, seed);
    const keys = typing(sim, 1_000, 601_000, 200);
    sim.run(610_000);
    assert.deepEqual(sim.records, [], `seed ${seed}`);
    assert.equal(sim.state.linkId, 1);
    assert.equal(sim.delivered.join('').length, keys.length);
  }
});

test('an outage nobody types through is noticed by the idle ping and healed the same way', () => {
  // Pings at 25 s and 50 s; the path is down from 40 s to 80 s.
  const sim = new Sim({ outages: [[40_000, 80_000]], oldLinkSurvives: false, rttMs: 30, connectTimeoutMs: 3_000 });
  sim.run(120_000);
  assert.equal(sim.records.length, 1);
  const [rec] = sim.records;
  assert.equal(rec?.outcome, 'restored');
  assert.equal(rec?.trigger, 'liveness-suspect');
  // The ping due 25 s after the 25.03 s answer goes unanswered: suspect max(400 ms, rto) later.
  assert.equal(rec?.detectedAt, 50_430);
  assert.ok(rec?.restoredAt !== undefined && rec.restoredAt > 80_000 && rec.restoredAt <= 81_000, `restored at ${rec?.restoredAt}`);
  assert.equal(sim.state.name, 'connected');
});

test('a short blackhole nobody notices is no reset at all', () => {
  const sim = new Sim({ outages: [[30_000, 45_000]], oldLinkSurvives: false, rttMs: 30, connectTimeoutMs: 3_000 });
  sim.run(120_000);
  assert.deepEqual(sim.records, []);
  assert.equal(sim.state.linkId, 1);
});
