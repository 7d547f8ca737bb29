// The live-session publisher: a subscriber of the session's port that streams its events on a Unix socket.
import { randomBytes } from 'node:crypto';
import { chmod } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { join } from 'node:path';
import type { Disposable } from '../common/disposable.js';
import type { HealingEvent } from '../events/events.js';
import { emptyLiveView, foldLiveView } from '../events/live-view.js';
import type { LiveView } from '../events/live-view.js';
import type { SessionEvents } from '../events/port.js';
import { encodeLiveLine } from '../events/wire.js';
import { ensureLiveDir, entryName, listEntries, removeEntry, removeIfDead } from './dir.js';

/** A reader that stops reading is dropped once this much waits for it (a stuck dashboard must not grow tether). */
const MAX_BACKLOG_BYTES = 1 << 20;

/** What the publisher needs. */
export interface LivePublisherOptions {
  dir: string;
  events: SessionEvents;
  pid: number;
  now: () => number;
}

/** A running publisher; dispose() closes the socket and removes its file. */
export interface LivePublisher extends Disposable {
  readonly path: string;
  /** The view a new reader gets first. */
  view(): LiveView;
}

/**
 * Subscribes at once (so nothing published while the socket is being made is missed), then listens (stale entries of
 * dead processes are removed first); rejects, unsubscribed, if the socket cannot be made.
 */
export async function startLivePublisher(o: LivePublisherOptions): Promise<LivePublisher> {
  let view = emptyLiveView(o.pid, o.now());
  const clients = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sock.on('error', () => sock.destroy());
    sock.on('close', () => clients.delete(sock));
    sock.on('data', () => undefined); // readers say nothing; anything sent is ignored
    clients.add(sock);
    sock.write(encodeLiveLine({ kind: 'snapshot', view }));
  });
  const send = (e: HealingEvent): void => {
    view = foldLiveView(view, e);
    const line = encodeLiveLine({ kind: 'event', event: e });
    for (const c of clients) {
      if (c.writableLength > MAX_BACKLOG_BYTES) c.destroy();
      else c.write(line);
    }
  };
  const sub = o.events.subscribe(send);
  const path = join(o.dir, entryName(o.pid, randomBytes(4).toString('hex')));
  try {
    await ensureLiveDir(o.dir);
    await Promise.all((await listEntries(o.dir)).map((e) => removeIfDead(e)));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    sub.dispose();
    throw err;
  }
  server.on('error', () => undefined);
  server.unref();
  await chmod(path, 0o600).catch(() => undefined);
  let disposed = false;
  return {
    path,
    view: () => view,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      sub.dispose();
      for (const c of clients) c.end();
      server.close();
      void removeEntry(path);
    },
  };
}
