// The two places tether reaches into ssh2's Client: the server's identification line and a global request whose
// reply we are called back on (ssh2's own keep-alive path). Both are checked at run time, not trusted blindly.
import type { Client } from 'ssh2';
import { TetherError } from '../common/errors.js';

/** The reply callback ssh2 keeps per outstanding global request: `(failed | Error, data?)`. */
type GlobalReplyCallback = (failed: boolean | Error, data?: Buffer) => void;

interface ClientInternals {
  _callbacks?: GlobalReplyCallback[];
  _protocol?: { ping?: () => void; _remoteIdentRaw?: Buffer };
}

function internals(client: Client): ClientInternals {
  return client as unknown as ClientInternals;
}

/** The server's identification string (`SSH-2.0-OpenSSH_9.2p1 Debian-2`), once received. */
export function remoteIdent(client: Client): string | undefined {
  return internals(client)._protocol?._remoteIdentRaw?.toString('latin1').trim();
}

/** Sends `keepalive@openssh.com` with want-reply; `onReply` gets true for any reply, false when the link closed first. */
export function sendKeepalive(client: Client, onReply: (replied: boolean) => void): void {
  const inner = internals(client);
  const proto = inner._protocol;
  if (!Array.isArray(inner._callbacks) || typeof proto?.ping !== 'function') {
    throw new TetherError('internal', 'ssh2 internals changed: no global request path for keep-alives');
  }
  // Replies to global requests come back in order; ssh2 shifts this callback off on SUCCESS/FAILURE,
  // and calls it with an Error when the connection closes.
  inner._callbacks.push((failed) => onReply(!(failed instanceof Error)));
  proto.ping();
}
