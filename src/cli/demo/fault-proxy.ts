// A TCP relay between tether and the demo server that can break the link the ways real networks do.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** The faults the relay can inject. */
export type ProxyFault =
  | 'reset' // both sides get a TCP RST (firewall REJECT, crashed middlebox)
  | 'blackhole' // bytes silently stop flowing both ways (path loss, idle-timeout DROP)
  | 'refuse' // new connections are refused (sshd down)
  | 'close-before-banner'; // new connections are accepted and closed at once (MaxStartups)

/** A running relay. */
export interface FaultProxy {
  readonly port: number;
  /** Starts a fault; `reset` acts once on the live connections, the others last until heal(). */
  inject(fault: ProxyFault): void;
  /** Ends every lasting fault: new connections flow again. */
  heal(): void;
  close(): Promise<void>;
}

/** Starts a relay on 127.0.0.1 (OS-chosen port) to 127.0.0.1:targetPort. */
export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let mode: 'flow' | 'blackhole' | 'refuse' | 'close-before-banner' = 'flow';
  const server = net.createServer((down) => {
    if (mode === 'refuse' || mode === 'close-before-banner') {
      if (mode === 'refuse') down.resetAndDestroy();
      else down.destroy();
      return;
    }
    const up = net.connect(targetPort, '127.0.0.1');
    const pair: [net.Socket, net.Socket] = [down, up];
    pairs.add(pair);
    const relay = (from: net.Socket, to: net.Socket): void => {
      from.on('data', (d) => {
        if (mode === 'blackhole') return;
        if (!to.write(d)) {
          from.pause();
          to.once('drain', () => from.resume());
        }
      });
      from.on('end', () => to.end());
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
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    inject(fault) {
      if (fault === 'reset') {
        for (const [down, up] of pairs) {
          down.resetAndDestroy();
          up.resetAndDestroy();
        }
        pairs.clear();
      } else mode = fault;
    },
    heal() {
      mode = 'flow';
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [down, up] of pairs) {
          down.destroy();
          up.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
