// The links a healing session holds, by the recovery machine's ids: opening, adopting, probing, pinging, closing.
import type { Socket } from 'node:net';
import type { Disposable } from '../common/disposable.js';
import { TetherError, errorCode, messageOf } from '../common/errors.js';
import type { ErrorKind } from '../common/errors.js';
import { attemptResultFrom } from '../diagnosis/from-error.js';
import { isAttempt } from '../recovery/index.js';
import type { LivenessEstimator, OutageFact, SessionEffect, SessionEvent, SessionState } from '../recovery/index.js';
import { connect } from '../transport/connect.js';
import type { ConnectOptions } from '../transport/connect.js';
import type { Link } from '../transport/link.js';
import { ping } from '../transport/ping.js';
import { tcpProbe } from '../transport/probe.js';
import type { SessionClock } from './clock.js';
import type { IcmpCheck } from './icmp-check.js';

/** One link the session holds, and what hangs off it. */
export interface HeldLink {
  link: Link;
  /** -R forwards requested on this link; disposed with it. */
  forwards?: Disposable;
  /** The link's close and receive subscriptions. */
  subs: Disposable;
}

/** What the pool needs from its session. */
export interface LinkPoolDeps {
  clock: SessionClock;
  hostname: string;
  port: number;
  /** Tells the outage record what an attempt or a probe met (the machine folds it in). */
  fact: (f: OutageFact) => void;
  icmp: IcmpCheck;
  connectOptions: () => ConnectOptions;
  state: () => SessionState;
  liveness: () => LivenessEstimator;
  dispatch: (e: SessionEvent) => void;
  /** Whether the session still runs (late connects are then closed). */
  running: () => boolean;
  /** The link -L/-D listeners should use now. */
  setCurrentLink: (link: Link | undefined) => void;
  /** A ping reply that did not end a suspect: the status may show a new RTT. */
  onRtt: () => void;
  /** Sets the loop timer for the next deadline again (a keep-alive was answered). */
  reschedule: () => void;
}

/** An attempt's or a port probe's result as a fact for the outage record (no failure: it connected). */
function attemptFact(startedAt: number, durationMs: number, failure?: { kind: ErrorKind; code: string | undefined }): OutageFact {
  const code = failure?.code;
  const result = failure === undefined ? 'ok' : attemptResultFrom(failure.kind, code);
  return { kind: 'attempt', attempt: { result, startedAt, durationMs, ...(code ? { code } : {}) } };
}

/** How long a probe's socket (banner read, sshd waiting for our version) is kept for the attempt it announces. */
const WARM_SOCKET_MS = 1_000;

/** Links by id; every link it holds reports its end to the machine exactly once. */
export class LinkPool {
  /** Held links by the machine's ids. */
  private readonly links = new Map<number, HeldLink>();
  /**
   * The socket of the last probe that got sshd's banner: the attempt that probe starts runs its handshake on it,
   * which saves a TCP connect and an sshd start-up on the way back.
   */
  private warm: { socket: Socket; head: Buffer; address: string; at: number } | undefined;

  constructor(private readonly d: LinkPoolDeps) {}

  get(id: number): HeldLink | undefined {
    return this.links.get(id);
  }

  ids(): number[] {
    return [...this.links.keys()];
  }

  /** Starts a connection for id; reports candidate-ready / attempt-succeeded / attempt-failed. */
  open(id: number, parallel: boolean): void {
    const { d } = this;
    const startedWall = d.clock.wall();
    const started = d.clock.mono();
    const opened = this.takeWarm();
    connect({ ...d.connectOptions(), ...(opened ? { opened } : {}) }).then(
      (link) => {
        d.fact(attemptFact(startedWall, d.clock.wall() - startedWall));
        const s = d.state();
        if (!d.running() || (!isAttempt(s, id) && s.linkId !== id)) {
          link.dispose();
          return;
        }
        this.adopt(id, link);
        const timing = { ...link.timing, totalMs: Math.round(d.clock.mono() - started) };
        d.dispatch({ type: parallel ? 'candidate-ready' : 'attempt-succeeded', linkId: id, timing });
      },
      (err: unknown) => {
        const kind = err instanceof TetherError ? err.kind : 'internal';
        const code = errorCode(err);
        d.fact(attemptFact(startedWall, d.clock.wall() - startedWall, { kind, code }));
        d.icmp.check(d.clock.wall());
        const fatal = err instanceof TetherError ? err.fatal : false;
        d.dispatch({ type: 'attempt-failed', linkId: id, kind, ...(code ? { code } : {}), fatal, message: messageOf(err) });
      },
    );
  }

  /** Holds a connected link: its end becomes link-error (active) or attempt-failed (candidate). */
  adopt(id: number, link: Link): void {
    const { d } = this;
    const closeSub = link.onClose((err) => {
      const held = this.links.get(id);
      if (!held) return;
      held.forwards?.dispose();
      this.links.delete(id);
      const kind = err?.kind ?? 'link';
      const code = errorCode(err) ?? 'EOF';
      const s = d.state();
      if (s.linkId === id) {
        d.setCurrentLink(undefined);
        const lastHeardAt = d.liveness().snapshot().lastHeardAt;
        d.dispatch({ type: 'link-error', linkId: id, kind, code, fatal: false, message: err?.message ?? 'connection closed', lastHeardAt });
      } else if (isAttempt(s, id)) {
        d.dispatch({ type: 'attempt-failed', linkId: id, kind, code, fatal: false, message: err?.message ?? 'closed' });
      }
    });
    // any byte from the server (shell output, ping replies, forwarded data) proves the link alive
    const recvSub = link.onReceive(() => {
      if (d.state().linkId !== id) return;
      if (d.liveness().onData(d.clock.mono())) d.dispatch({ type: 'old-link-alive', linkId: id });
    });
    this.links.set(id, { link, subs: { dispose: () => (closeSub.dispose(), recvSub.dispose()) } });
    if (d.state().linkId === id) d.setCurrentLink(link);
  }

  /** Closes a link on purpose (no event for it). */
  close(id: number): void {
    const h = this.links.get(id);
    if (!h) return;
    this.links.delete(id);
    h.subs.dispose();
    h.forwards?.dispose();
    h.link.dispose();
  }

  /** One cheap TCP probe of the port (see the startProbe effect for what ok means for each purpose). */
  probe(req: Extract<SessionEffect, { type: 'startProbe' }>): void {
    const { d } = this;
    const started = d.clock.wall();
    const path = req.purpose === 'path';
    tcpProbe(d.hostname, d.port, req.timeoutMs, { connectOnly: path, keep: !path, keepMs: WARM_SOCKET_MS }).then(
      (r) => {
        if (r.socket) this.keepWarm(r.socket, r.head ?? Buffer.alloc(0));
        const ms = d.clock.wall() - started;
        const base = { type: 'probe-result', probeId: req.probeId, ms, ...(r.errno ? { code: r.errno } : {}) } as const;
        // the host answered (a connect, a refusal): the path works, whatever the old link says
        if (path) return d.dispatch({ ...base, ok: r.outcome !== 'timeout' && r.outcome !== 'unreachable' && r.outcome !== 'error' });
        // the path is back when sshd answers with its banner, not merely when something accepts the SYN
        const ok = r.outcome === 'open' && r.banner !== undefined;
        if (ok) d.fact({ kind: 'port-answered' });
        else {
          const kind = r.outcome === 'closed-before-banner' ? 'closed-before-banner' : 'connect';
          d.fact(attemptFact(started, ms, { kind, code: r.errno }));
          d.icmp.check(d.clock.wall());
        }
        d.dispatch({ ...base, ok });
      },
      () => d.dispatch({ type: 'probe-result', probeId: req.probeId, ok: false }),
    );
  }

  /** Keeps a probe's socket for the next attempt (the previous one is closed). */
  private keepWarm(socket: Socket, head: Buffer): void {
    this.warm?.socket.destroy();
    this.warm = { socket, head, address: socket.remoteAddress ?? this.d.hostname, at: this.d.clock.mono() };
  }

  /** The warm socket if it is fresh and open (it is given away: one attempt only). */
  private takeWarm(): { socket: Socket; head: Buffer; address: string } | undefined {
    const w = this.warm;
    this.warm = undefined;
    if (!w) return undefined;
    if (w.socket.destroyed || this.d.clock.mono() - w.at > WARM_SOCKET_MS) {
      w.socket.destroy();
      return undefined;
    }
    return w;
  }

  /** A keep-alive on a link; its reply feeds the liveness estimator. */
  ping(id: number): void {
    const { d } = this;
    const h = this.links.get(id);
    if (!h) return;
    const timeout = Math.max(2000, d.liveness().deadAfterMs);
    // an idle keep-alive's answer changes nothing the user waits for: no repaint of the bar for it (no idle writes)
    const idle = !d.liveness().snapshot().active;
    ping(h.link, timeout).then(
      (rtt) => {
        if (d.state().linkId !== id) return;
        if (d.liveness().onPingReply(d.clock.mono(), rtt)) d.dispatch({ type: 'old-link-alive', linkId: id });
        else if (!idle) d.onRtt();
        // the loop timer still waits for the suspect deadline this ping set: move it to the next keep-alive now,
        // or every idle keep-alive costs a second wake
        else d.reschedule();
      },
      () => undefined, // silence is judged by the liveness deadlines, not by this promise
    );
  }
}
