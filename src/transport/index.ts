// The transport layer's public API: one SSH connection on ssh2 and what runs over it.
//
//   const link = await connect({ config, prompter, resolveHop, credentials, signal });
//   link.onClose((err) => ...)        // err: TetherError kind 'link' (ECONNRESET, ETIMEDOUT, EOF, SSH_DISCONNECT, ...),
//                                     // undefined after link.dispose()
//   link.onReceive((bytes) => ...)    // any inbound bytes (liveness)
//   const rtt = await ping(link, ms)  // keepalive@openssh.com; ms = 0 → no timer (the caller's loop owns time)
//   openExec / openShell / openSubsystem (link, ...) → RemoteSession { stdin, stdout, stderr, exit, resize, signal }
//   startLocalForward / startDynamicForward (spec, () => currentLinkOrPromise, opts) → listeners that survive reconnects
//   startRemoteForward (link, spec, opts) → per link: start again on each new link
//   tcpProbe(host, port, ms) → 'open' (+banner) | 'closed-before-banner' | 'refused' | 'timeout' | 'unreachable' | ...
// Reconnect: connect({ ..., pinnedHostKey: first.hostKey, pinnedHopKeys: hopPins(first), credentials }) refuses any
// other key (kind 'host-key-changed') and asks no passphrase twice. Failures are TetherErrors with ssh's wording:
// connect, closed-before-banner, protocol (cause: NegotiationFailure with both lists), auth, host-key-unknown,
// host-key-changed, host-key-revoked, unsupported (fall back to the system ssh), link.
export { connect, hopPins } from './connect.js';
export type { ConnectOptions } from './connect.js';
export { Link } from './link.js';
export type { CloseListener, LinkTiming } from './link.js';
export type { HostKey } from './host-key.js';
export { fingerprintOf, hostKeyFromBlob, keyTypeWord } from './host-key.js';
export type { Prompter } from './prompter.js';
export { silentPrompter } from './prompter.js';
export { NegotiationFailure } from './negotiation.js';
export { checkHostKey, loadKnownHosts } from './host-key-check.js';
export type { HostKeyCheckInput, HostKeyCheckResult } from './host-key-check.js';
export { ping } from './ping.js';
export { openExec, openShell, openSubsystem, sessionEnv } from './session.js';
export type { PtyOptions, RemoteSession, SessionExit, SessionOptions } from './session.js';
export { tcpProbe } from './probe.js';
export type { ProbeOutcome, ProbeResult } from './probe.js';
export { startLocalForward } from './forward-local.js';
export { startDynamicForward } from './forward-dynamic.js';
export { startRemoteForward } from './forward-remote.js';
export type { RemoteForward, RemoteForwardOptions } from './forward-remote.js';
export type { LinkSource, ListenOptions, LocalListener } from './forward-listener.js';
export { CredentialCache } from './credential-cache.js';
export { inspectServer } from './inspect.js';
export type { ServerInspection } from './inspect.js';
