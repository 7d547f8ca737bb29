// ssh2's errors during setup and on an established link, mapped to TetherError kinds with ssh's wording.
import { TetherError } from '../common/errors.js';
import { codeOf, errnoText } from './errno-text.js';

/** How ssh names the peer in these messages: `IP port P` (the host name when there is no IP, through a jump). */
export function peerName(address: string | undefined, host: string, port: number): string {
  return `${address ?? host} port ${port}`;
}

/** An Error carrying a pseudo-errno for events that have none (EOF, SSH disconnect), so errorCode() can tell them. */
export function codedError(code: string, message: string, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code });
}

/** ssh2 reports the DISCONNECT reason as a number in `code`; the description is the message. */
function disconnectReason(err: Error): number | undefined {
  const code: unknown = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** The error for a link that ended: reset, other errno, server DISCONNECT, or a clean EOF (`err` undefined). */
export function linkClosedError(err: Error | undefined, peer: string): TetherError {
  if (err === undefined) {
    return new TetherError('link', `Connection closed by ${peer}`, { cause: codedError('EOF', 'end of stream') });
  }
  const reason = disconnectReason(err);
  if (reason !== undefined) {
    return new TetherError('link', `Received disconnect from ${peer}:${reason}: ${err.message}\nDisconnected from ${peer}`, {
      cause: codedError('SSH_DISCONNECT', err.message, err),
    });
  }
  const code = codeOf(err);
  if (code === 'ECONNRESET') return new TetherError('link', `Connection reset by ${peer}`, { cause: err });
  if (code !== undefined) return new TetherError('link', `Connection to ${peer}: ${errnoText(code)}`, { cause: err });
  return new TetherError('link', `Connection to ${peer}: ${err.message}`, { cause: err });
}

/** The error for a connection that failed before the SSH identification arrived. */
export function beforeBannerError(err: Error | undefined, peer: string): TetherError {
  if (codeOf(err) === 'ECONNRESET') {
    return new TetherError('closed-before-banner', `kex_exchange_identification: read: Connection reset by peer\nConnection reset by ${peer}`, {
      cause: err,
    });
  }
  if (err !== undefined && codeOf(err) !== undefined) {
    return new TetherError('closed-before-banner', `kex_exchange_identification: read: ${errnoText(codeOf(err))}\nConnection to ${peer} failed`, {
      cause: err,
    });
  }
  return new TetherError('closed-before-banner', `kex_exchange_identification: Connection closed by remote host\nConnection closed by ${peer}`, {
    cause: codedError('EOF', 'closed before the SSH banner', err),
  });
}

/** The error when the banner or key exchange did not complete within the timeout. */
export function handshakeTimeoutError(peer: string, sawBanner: boolean): TetherError {
  const what = sawBanner ? 'Connection timed out during key exchange' : 'Connection timed out during banner exchange';
  return new TetherError('connect', `${what}\nConnection to ${peer} timed out`, {
    cause: codedError('ETIMEDOUT', what),
  });
}

/** The error for an attempt cancelled through its AbortSignal (a parallel attempt won, or the user quit). */
export function abortedError(signal: AbortSignal): TetherError {
  return new TetherError('link', 'connection attempt cancelled', { cause: codedError('ABORT_ERR', 'aborted', signal.reason), fatal: false });
}
