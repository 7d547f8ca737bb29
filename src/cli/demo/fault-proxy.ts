// A TCP relay between tether and the demo server that can break the link the ways real networks do.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** The faults the relay can inject. */
export type ProxyFault =
  | 'reset' // both sides get a TCP RST (firewall REJECT, crashed middlebox)
  | 'blackhole' // bytes silently stop flowing both ways, new connections hang (path loss, idle-timeout DROP)
  | 'refuse' // the port is closed: new connections get ECONNREFUSED (sshd down)
  | 'close-before-banner'; // new connections are accepted and closed at once (MaxStartups)

/** A running relay. */
export interface FaultProxy {
  readonly port: number;
  /** Starts a fault; `reset` acts once on the live connections, the others last until heal(). */
  inject(fault: ProxyFault): void;
  /** Ends every lasting fault: the port listens again and new connections flow. */
  heal(): void;
  /** The lasting fault in force, or 'flow'. */
  mode(): ProxyMode;
  close(): Promise<void>;
}

/** What the relay does with bytes and new connections now. */
export type ProxyMode = 'flow' | 'blackhole' | 'refuse' | 'close-before-banner';

/**
 * Starts a relay on 127.0.0.1 (OS-chosen port) to 127.0.0.1:targetPort. `onClosedBeforeBanner` hears of each
 * connection closed before the banner (with its source port), for the server's journal (sshd logs MaxStartups drops).
 */
export async function startFaultProxy(targetPort: number, onClosedBeforeBanner: (sourcePort: number) => void = () => undefined): Promise<FaultProxy> {
  /** Live relayed connections (tether side, server side). */
  const pairs = new Set<[net.Socket, net.Socket]>();
  /** Connections accepted during a blackhole: held, unread, until heal() relays them (a SYN retransmitted in time). */
  const stalled = new Set<net.Socket>();
  /** Relay directions paused by a blackhole, resumed by heal(). */
  const waiting = new Set<() => void>();
  /** The fault in force. */
  let mode: ProxyMode = 'flow';
  /** Set once close() ran: nothing listens again. */
  let closed = false;

  const onConnection = (down: net.Socket): void => {
    if (mode === 'close-before-banner' || mode === 'refuse') {
      if (mode === 'close-before-banner') onClosedBeforeBanner(down.remotePort ?? 0);
      down.destroy();
      return;
    }
    if (mode === 'blackhole') {
      stalled.add(down);
      down.on('error', () => undefined); // relayPair() adds the real handler on heal
      down.once('close', () => stalled.delete(down));
      return;
    }
    relayPair(down);
  };

  const relayPair = (down: net.Socket): void => {
    const up = net.connect(targetPort, '127.0.0.1');
    const pair: [net.Socket, net.Socket] = [down, up];
    pairs.add(pair);
    const relay = (from: net.Socket, to: net.Socket): void => {
      // a blackhole holds the bytes (TCP would retransmit them): the link stalls, and lives on if healed in time
      let held: Buffer[] = [];
      const release = (): void => {
        for (const d of held.splice(0)) to.write(d);
        from.resume();
      };
      from.on('data', (d) => {
        if (mode === 'blackhole') {
          held.push(d);
          from.pause();
          waiting.add(release);
          return;
        }
        if (!to.write(d)) {
          from.pause();
          to.once('drain', () => mode !== 'blackhole' && from.resume());
        }
      });
      from.on('end', () => to.end());
      from.on('close', () => {
        held = [];
        waiting.delete(release);
      });
    };
    relay(down, up);
    relay(up, down);
    const drop = (): void => {
      pairs.delete(pair);
      down.destroy();
      up.destroy();
    };
    down.on('error', drop);
    up.on('error', drop);
    down.on('close', drop);
    up.on('close', drop);
  };

  /** The listening socket; replaced when the port reopens after a 'refuse'. */
  let server = net.createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const reopen = (): void => {
    if (closed || server.listening) return;
    const s = net.createServer(onConnection);
    server = s;
    // the port was ours a moment ago; should someone take it meanwhile, keep trying
    s.on('error', () => setTimeout(() => s === server && !closed && s.listen(port, '127.0.0.1'), 200));
    s.listen(port, '127.0.0.1');
  };

  return {
    port,
    inject(fault) {
      if (fault === 'reset') {
        for (const [down, up] of pairs) {
          down.resetAndDestroy();
          up.resetAndDestroy();
        }
        pairs.clear();
        return;
      }
      mode = fault;
      if (fault === 'refuse') server.close();
    },
    heal() {
      mode = 'flow';
      // connections that waited in the blackhole go through now, as a retransmitted SYN would
      for (const s of stalled) if (!s.destroyed) relayPair(s);
      stalled.clear();
      for (const release of [...waiting]) release();
      waiting.clear();
      reopen();
    },
    mode: () => mode,
    close: () => {
      closed = true;
      for (const [down, up] of pairs) {
        down.destroy();
        up.destroy();
      }
      for (const s of stalled) s.destroy();
      return new Promise<void>((resolve) => {
        if (!server.listening) resolve();
        else server.close(() => resolve());
      });
    },
  };
}
