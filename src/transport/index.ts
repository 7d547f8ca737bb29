// The transport layer's public API: one SSH connection on ssh2 and what runs over it.
export { connect } from './connect.js';
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
