// One keep-alive round trip: `keepalive@openssh.com` with want-reply. OpenSSH answers REQUEST_FAILURE, ssh2 servers
// too; any reply proves the link alive. The schedule belongs to the caller (recovery), never to ssh2.
import { performance } from 'node:perf_hooks';
import { TetherError } from '../common/errors.js';
import type { Link } from './link.js';
import { codedError } from './link-errors.js';
import { sendKeepalive } from './ssh2-internals.js';

/** Resolves to the round-trip time in ms; rejects with kind 'link' on timeout (ETIMEDOUT) or when the link closes.
 * A timeout of 0 or Infinity sets no timer: the caller's own loop decides when silence means trouble. */
export function ping(link: Link, timeoutMs: number): Promise<number> {
  if (link.closed) {
    return Promise.reject(link.closeError ?? new TetherError('link', `Connection to ${link.peer} closed`, { fatal: false }));
  }
  const start = performance.now();
  return new Promise<number>((resolve, reject) => {
    let done = false;
    const timed = Number.isFinite(timeoutMs) && timeoutMs > 0;
    const timer = !timed ? undefined : setTimeout(() => {
      done = true;
      reject(
        new TetherError('link', `Timeout, server ${link.config.hostname} not responding.`, {
          cause: codedError('ETIMEDOUT', `no keep-alive reply within ${timeoutMs} ms`),
          fatal: false,
        }),
      );
    }, timeoutMs);
    try {
      // A reply arriving after the timeout is still consumed in order by ssh2, and ignored here.
      sendKeepalive(link.client, (replied) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (replied) resolve(performance.now() - start);
        else reject(link.closeError ?? new TetherError('link', `Connection to ${link.peer} closed`, { fatal: false }));
      });
    } catch (err) {
      done = true;
      clearTimeout(timer);
      reject(err);
    }
  });
}
