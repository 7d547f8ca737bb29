// The event port carries everything the terminal UI shows: the bar, the outage panel, the flashes, the exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HealingEvent } from '../events/events.js';
import { emptyLiveView, foldLiveView } from '../events/live-view.js';
import type { LiveView } from '../events/live-view.js';
import { SessionEvents } from '../events/port.js';
import { buildResetRecord } from '../history/record.js';
import { LivenessEstimator, createSessionMachine, initialSessionState, seededRandom } from '../recovery/index.js';
import type { LivenessSnapshot, SessionEvent, SessionState, SessionStatus } from '../recovery/index.js';
import type { SessionClock } from '../heal/clock.js';
import { ObservedHeldInput, SessionNews } from '../heal/news.js';
import { terminalOutlet } from './ui-outlet.js';
import type { LinkState, OutageInfo, StatusSnapshot } from '../terminal/status-text.js';

/** The inputs of one snapshot, all on the monotonic clock. */
interface StatusInput {
  host: string;
  st: SessionStatus;
  state: SessionState;
  live: LivenessSnapshot;
  held: number;
  resetsToday: number;
  lastCause: string | undefined;
  now: number;
}

function linkState(name: SessionStatus['name']): LinkState {
  return name === 'stopped' ? 'down' : name;
}

/** The bar as the session's own state says it: the reference the events (and the terminal's outlet) must match. */
function statusSnapshot(i: StatusInput): StatusSnapshot {
  return {
    host: i.host,
    state: linkState(i.st.name),
    ...(i.st.attempts > 0 && i.st.name !== 'connected' ? { attempt: i.st.attempts } : {}),
    ...(i.state.nextAttemptAt !== undefined && i.st.name === 'down' ? { nextTryAt: i.state.nextAttemptAt } : {}),
    ...(i.live.srtt === undefined ? {} : { rttMs: i.live.srtt }),
    keepaliveMs: i.live.keepaliveMs,
    ...(i.held > 0 ? { heldKeys: i.held } : {}),
    resetsToday: i.resetsToday,
    ...(i.lastCause === undefined ? {} : { lastCause: i.lastCause }),
  };
}

const WALL = 1_800_000_000_000;

/** A session loop as session.ts runs it, with the UI replaced by what statusSnapshot would show. */
class Loop {
  now = 0;
  state: SessionState = initialSessionState(1);
  readonly machine = createSessionMachine({ random: seededRandom(7) });
  readonly liveness = new LivenessEstimator(0, { initialRtt: { srtt: 30, rttvar: 5 } });
  readonly events: HealingEvent[] = [];
  readonly flashes: string[] = [];
  resets = 0;
  lastCause: string | undefined;
  readonly clock: SessionClock = { mono: () => this.now, wall: () => WALL + this.now, toWall: (m) => WALL + m };
  readonly port = new SessionEvents();
  readonly held: ObservedHeldInput;
  readonly news: SessionNews;

  constructor() {
    this.port.subscribe((e) => this.events.push(e));
    this.news = new SessionNews({
      events: this.port,
      clock: this.clock,
      state: () => this.state,
      status: (now) => this.machine.status(this.state, now),
      liveness: () => this.liveness,
      heldBytes: () => this.held.status().bytes,
      outageLines: () => (this.state.outage ? [`${this.state.outage.attempts} attempts`] : []),
      resetsToday: () => this.resets,
      lastCause: () => this.lastCause,
    });
    this.held = new ObservedHeldInput(1024, () => this.news.state());
    this.news.start({ host: 'web', hostname: 'web.example', port: 22, user: 'ann', session: 's', pid: 1 });
  }

  dispatch(e: SessionEvent, at: number): void {
    this.now = at;
    const prev = this.state;
    const t = this.machine.reduce(this.state, e, at);
    this.state = t.state;
    this.news.transition(prev, t.state);
    for (const fx of t.effects) {
      if (fx.type === 'recordReset') {
        this.news.outageEnd(fx.outage);
        const record = buildResetRecord({
          id: `r${this.resets}`, host: 'web', hostname: 'web.example', port: 22, user: 'ann',
          lastHeardAt: WALL + fx.outage.lastHeardAt, detectedAt: WALL + fx.outage.detectedAt, trigger: fx.outage.trigger,
          diagnosis: { cause: 'firewall', confidence: 0.7, evidence: [], advice: [] }, attempts: fx.outage.attempts, outcome: fx.outage.end.outcome,
        });
        this.resets++;
        this.lastCause = record.cause;
        this.news.recorded(record);
        this.flashes.push('summary');
        this.news.notice('summary', 'info');
      }
      if (fx.type === 'notify') {
        this.flashes.push(fx.message);
        this.news.notice(fx.message, fx.level);
      }
      if (fx.type === 'exit') this.news.exit(fx.code);
    }
    this.news.state();
  }

  /** What the bar shows now. */
  bar(): ReturnType<typeof statusSnapshot> {
    const input: StatusInput = {
      host: 'web', st: this.machine.status(this.state, this.now), state: this.state, live: this.liveness.snapshot(),
      held: this.held.status().bytes, resetsToday: this.resets, lastCause: this.lastCause, now: this.now,
    };
    return statusSnapshot(input);
  }

  view(): LiveView {
    return this.events.reduce(foldLiveView, emptyLiveView(0, 0));
  }
}

/** What the terminal outlet painted from these events: its last bar and the panel it shows (if any). */
function terminalView(events: readonly HealingEvent[]): { bar: StatusSnapshot | undefined; panel: OutageInfo | undefined; flashes: string[] } {
  const out: { bar: StatusSnapshot | undefined; panel: OutageInfo | undefined; flashes: string[] } = { bar: undefined, panel: undefined, flashes: [] };
  const outlet = terminalOutlet('web', {
    setStatus: (s) => (out.bar = s),
    showOutage: (i) => (out.panel = i),
    hideOutage: () => (out.panel = undefined),
    flash: (m) => out.flashes.push(m),
  });
  for (const e of events) outlet(e);
  return out;
}

/** The bar's fields, read from the events alone. */
function barFromView(v: LiveView): Record<string, unknown> {
  return {
    host: v.host,
    state: v.state === 'stopped' ? 'down' : v.state,
    attempt: v.attempt > 0 ? v.attempt : undefined,
    nextTryAt: v.nextAttemptAt === undefined ? undefined : v.nextAttemptAt - WALL,
    rttMs: v.srttMs,
    keepaliveMs: v.keepaliveMs,
    heldKeys: v.heldBytes > 0 ? v.heldBytes : undefined,
    resetsToday: v.resets,
    lastCause: v.lastCause,
  };
}

function assertSame(loop: Loop, step: string): void {
  const bar = loop.bar();
  const fromEvents = barFromView(loop.view());
  const shown = { attempt: undefined, nextTryAt: undefined, rttMs: undefined, heldKeys: undefined, lastCause: undefined, ...bar };
  assert.deepEqual(fromEvents, shown, `after ${step}`);
  // and the terminal, a subscriber of the same events, paints exactly that bar (on the wall clock) while the session runs
  if (loop.events.some((e) => e.type === 'exit')) return;
  const painted = terminalView(loop.events);
  assert.deepEqual(painted.bar, { ...bar, ...(bar.nextTryAt === undefined ? {} : { nextTryAt: bar.nextTryAt + WALL }) }, `terminal bar after ${step}`);
  const down = bar.state === 'down' || bar.state === 'reconnecting';
  assert.equal(painted.panel !== undefined, down, `the outage panel is up exactly while down (${step})`);
}

test('every field of the status bar comes through the port, at every step of an outage', () => {
  const loop = new Loop();
  assertSame(loop, 'start');
  loop.dispatch({ type: 'link-error', linkId: 1, kind: 'link', code: 'ECONNRESET', fatal: false, message: 'read ECONNRESET' }, 1000);
  assertSame(loop, 'link-error');
  loop.held.push(Buffer.from('ls\r'));
  assertSame(loop, 'keys typed during the outage');
  let at = 1000;
  for (let i = 0; i < 3 && loop.state.name !== 'connected'; i++) {
    at += 40_000;
    loop.dispatch({ type: 'tick' }, at);
    assertSame(loop, `tick ${i}`);
    const id = loop.state.candidateId ?? loop.state.lastLinkId;
    loop.dispatch({ type: 'attempt-failed', linkId: id, kind: 'connect', code: 'ECONNREFUSED', fatal: false, message: 'connect ECONNREFUSED' }, at + 5);
    assertSame(loop, `attempt ${i} failed`);
  }
  at += 40_000;
  loop.dispatch({ type: 'tick' }, at);
  const id = loop.state.candidateId ?? loop.state.lastLinkId;
  loop.dispatch({ type: 'attempt-succeeded', linkId: id }, at + 10);
  assertSame(loop, 'attempt succeeded');
  loop.dispatch({ type: 'restore-done', linkId: id, newSession: false }, at + 20);
  assertSame(loop, 'restored');
  const types = loop.events.map((e) => e.type);
  assert.ok(types.includes('outage-start'));
  assert.ok(types.filter((t) => t === 'outage-attempt').length >= 3, types.join(' '));
  assert.ok(types.includes('outage-end'));
  assert.ok(types.includes('reset-recorded'));
  const start = loop.events.find((e) => e.type === 'outage-start');
  assert.equal(start?.type === 'outage-start' ? start.trigger : '', 'ECONNRESET');
  const refused = loop.events.find((e) => e.type === 'outage-attempt' && e.code !== undefined);
  assert.equal(refused?.type === 'outage-attempt' ? refused.code : '', 'ECONNREFUSED');
  assert.equal(loop.view().outageSince, undefined, 'the outage is over');
});

test('every flash is a notice, and a fatal stop is a notice and an exit', () => {
  const loop = new Loop();
  loop.dispatch({ type: 'link-error', linkId: 1, kind: 'link', code: 'ECONNRESET', fatal: false, message: 'read ECONNRESET' }, 1000);
  loop.dispatch({ type: 'tick' }, 60_000);
  const id = loop.state.candidateId ?? loop.state.lastLinkId;
  loop.dispatch({ type: 'attempt-failed', linkId: id, kind: 'auth', code: 'auth', fatal: true, message: 'Permission denied (publickey).' }, 60_010);
  assertSame(loop, 'fatal');
  const notices = loop.events.flatMap((e) => (e.type === 'notice' ? [e.text] : []));
  assert.deepEqual(notices, loop.flashes);
  assert.ok(loop.flashes.length > 0, 'the machine asked for a flash');
  assert.deepEqual(terminalView(loop.events).flashes, loop.flashes, 'the terminal flashes every notice');
  const exit = loop.events.find((e) => e.type === 'exit');
  assert.equal(exit?.type === 'exit' ? exit.code : 0, 255);
  assert.equal(loop.view().exitCode, 255);
});

test('the panel shows while down: the outage timer, last error and held keys come through', () => {
  const loop = new Loop();
  loop.dispatch({ type: 'link-error', linkId: 1, kind: 'link', code: 'ECONNRESET', fatal: false, message: 'read ECONNRESET' }, 1000);
  loop.dispatch({ type: 'tick' }, 60_000);
  const id = loop.state.candidateId ?? loop.state.lastLinkId;
  loop.dispatch({ type: 'attempt-failed', linkId: id, kind: 'connect', code: 'ECONNREFUSED', fatal: false, message: 'connect ECONNREFUSED' }, 60_010);
  loop.held.push(Buffer.from('abc'));
  const v = loop.view();
  assert.equal(v.outageSince, WALL + 1000);
  assert.equal(v.lastError, loop.machine.status(loop.state, loop.now).lastError);
  assert.equal(v.heldBytes, 3);
  const panel = terminalView(loop.events).panel;
  assert.equal(panel?.downSince, WALL + 1000, 'the panel counts from detection, as the record does');
  assert.equal(panel?.lastError, v.lastError);
  assert.equal(panel?.heldKeys, 3);
  assert.deepEqual(panel?.evidence, [`${loop.state.outage?.attempts ?? 0} attempts`], 'the outage lines come through');
  const before = loop.events.length;
  loop.news.state();
  assert.equal(loop.events.length, before, 'nothing changed: no event');
});
