// The terminal layer's public surface, for cli/ (the composition root) to wire.
export { TerminalUI, type TerminalUIOptions, type UIAction } from './ui.js';
export type { StatusSnapshot, OutageInfo, LinkState } from './status-text.js';
export { formatRestored, formatDuration } from './status-text.js';
export { parseEscapeChar, escapeHelp, type EscapeAction } from './escape.js';
