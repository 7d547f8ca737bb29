// Reads one live session's stream: its snapshot, then its events; a refused socket is a stale entry and is removed.
import { connect } from 'node:net';
import type { Disposable } from '../common/disposable.js';
import type { LiveMessage } from '../events/wire.js';
import { LineSplitter, parseLiveLine } from '../events/wire.js';
import { removeEntry } from './dir.js';

/** Why a stream ended: the session closed it, or nothing listened (the entry was removed). */
export type LiveEnd = 'closed' | 'stale';

/** Callbacks of one reader. */
export interface LiveReaderHandlers {
  onMessage: (m: LiveMessage) => void;
  onEnd: (why: LiveEnd) => void;
}

/** Connects to a session's socket; dispose() hangs up (onEnd is not called then). */
export function readLiveSession(path: string, h: LiveReaderHandlers): Disposable {
  const sock = connect(path);
  const lines = new LineSplitter();
  let done = false;
  const end = (why: LiveEnd): void => {
    if (done) return;
    done = true;
    h.onEnd(why);
  };
  sock.setEncoding('utf8');
  sock.on('data', (chunk: string) => {
    for (const line of lines.push(chunk)) {
      const m = parseLiveLine(line);
      if (m) h.onMessage(m);
    }
  });
  let refused = false;
  // nobody listens: the process died without removing its socket
  sock.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ECONNREFUSED') refused = true;
  });
  sock.on('close', () => {
    if (refused) void removeEntry(path).then(() => end('stale'));
    else end('closed');
  });
  return {
    dispose: () => {
      done = true;
      sock.destroy();
    },
  };
}
