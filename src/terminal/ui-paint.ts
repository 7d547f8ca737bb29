// Escape sequences that paint over the remote frame without disturbing it: the bar, a panel,
// the frame itself. Each is wrapped in a cursor save/restore (DECSC/DECRC), which also keeps
// the remote's attributes, character set and origin mode.
import type { LinkState } from './status-text.js';
import type { Colors } from './overlay.js';

/** Save cursor, attributes and charset; origin mode off; ASCII in G0 shifted in. */
export function saveCursor(originMode: boolean): string {
  return `\x1b7${originMode ? '\x1b[?6l' : ''}\x1b(B\x0f`;
}

/** Restore what saveCursor saved. */
export const RESTORE_CURSOR = '\x1b8';

/** Blanks the given 1-based row (the bar hidden). */
export function blankRow(row: number): string {
  return `\x1b[${row};1H\x1b[0m\x1b[2K`;
}

/** The bar's colours per state: calm when connected, loud when not. */
export function stateColors(state: LinkState | undefined): Colors {
  switch (state) {
    case 'suspect':
      return { fg: 'black', bg: 'yellow' };
    case 'down':
    case 'reconnecting':
      return { fg: 'white', bg: 'red' };
    case 'restoring':
      return { fg: 'black', bg: 'cyan' };
    default:
      return { fg: 'white', bg: 'blue' };
  }
}

/** Colours of a transient message after a restore. */
export const FLASH_COLORS: Colors = { fg: 'black', bg: 'green' };
/** Colours of the outage panel. */
export const OUTAGE_COLORS: Colors = { fg: 'white', bg: 'red' };
/** Colours of the help / diagnosis panel. */
export const INFO_COLORS: Colors = { fg: 'black', bg: 'white' };
