// The terminal UI as an outlet of the healing session's event port: the status bar, the outage panel and the
// flashes come from events only (the session never calls the UI for them). Keys, output and escapes stay direct.
import type { HealingEvent, NoticeLevel, StateEvent } from '../events/events.js';
import type { LinkState, OutageInfo, StatusSnapshot } from '../terminal/status-text.js';

/** What the outlet drives (TerminalUI's side for status; the clock given to the UI must be the wall clock). */
export interface StatusSurface {
  setStatus(snapshot: StatusSnapshot): void;
  showOutage(info: OutageInfo): void;
  hideOutage(): void;
  flash(message: string, ms: number): void;
}

/** How long a notice stays on the bar when the session did not say. */
const SHOW_MS: Readonly<Record<NoticeLevel, number>> = { info: 4000, warn: 8000, error: 10_000 };

function linkState(name: StateEvent['state']): LinkState {
  return name === 'stopped' ? 'down' : name;
}

/** The bar's snapshot of a state event. */
export function barOf(host: string, e: StateEvent): StatusSnapshot {
  const out = e.state !== 'connected';
  return {
    host,
    state: linkState(e.state),
    ...(e.attempt > 0 && out ? { attempt: e.attempt } : {}),
    ...(e.nextAttemptAt !== undefined && e.state === 'down' ? { nextTryAt: e.nextAttemptAt } : {}),
    ...(e.srttMs === undefined ? {} : { rttMs: e.srttMs }),
    keepaliveMs: e.keepaliveMs,
    ...(e.heldBytes > 0 ? { heldKeys: e.heldBytes } : {}),
    resetsToday: e.resetsToday ?? 0,
    ...(e.lastCause === undefined ? {} : { lastCause: e.lastCause }),
  };
}

/** The outage panel of a state event while down or reconnecting. */
export function panelOf(host: string, e: StateEvent): OutageInfo {
  return {
    host,
    // from detection, as the record's downtimeMs and the bar's "link down N s" count it
    downSince: e.downSince ?? e.at,
    evidence: [...(e.evidence ?? [])],
    ...(e.attempt > 0 ? { attempt: e.attempt } : {}),
    ...(e.nextAttemptAt !== undefined && e.state === 'down' ? { nextTryAt: e.nextAttemptAt } : {}),
    ...(e.heldBytes > 0 ? { heldKeys: e.heldBytes } : {}),
    ...(e.lastError === undefined ? {} : { lastError: e.lastError }),
  };
}

/** A port subscriber that keeps the terminal's bar, panel and flashes in step with the session; quiet after `exit`. */
export function terminalOutlet(host: string, ui: StatusSurface): (e: HealingEvent) => void {
  let shown = '';
  let over = false;
  return (e) => {
    if (over) return;
    if (e.type === 'state') {
      const bar = barOf(host, e);
      const key = JSON.stringify(bar);
      if (key !== shown) {
        shown = key; // the bar is repainted only when what it shows changed (no redraw while idle)
        ui.setStatus(bar);
      }
      if (e.state === 'down' || e.state === 'reconnecting') ui.showOutage(panelOf(host, e));
      else ui.hideOutage();
    } else if (e.type === 'notice') ui.flash(e.text, e.showMs ?? SHOW_MS[e.level]);
    else if (e.type === 'exit') over = true;
  };
}
