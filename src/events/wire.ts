// The live stream's line format: a snapshot first, then each event, one JSON object per line.
import type { HealingEvent } from './events.js';
import { HEALING_EVENT_TYPES } from './events.js';
import type { LiveView } from './live-view.js';

/** One line of a session's live stream. */
export type LiveMessage = { readonly kind: 'snapshot'; readonly view: LiveView } | { readonly kind: 'event'; readonly event: HealingEvent };

/** The line for a message (undefined fields are left out; the reader treats a missing field as undefined). */
export function encodeLiveLine(m: LiveMessage): string {
  return `${JSON.stringify(m)}\n`;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The message in one line, or undefined for a line that is not one (a reader skips it). */
export function parseLiveLine(line: string): LiveMessage | undefined {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(o)) return undefined;
  if (o.kind === 'snapshot' && isObject(o.view) && typeof o.view.pid === 'number' && typeof o.view.state === 'string') {
    return { kind: 'snapshot', view: o.view as unknown as LiveView };
  }
  if (o.kind === 'event' && isObject(o.event) && typeof o.event.at === 'number') {
    const type = o.event.type;
    if (typeof type === 'string' && (HEALING_EVENT_TYPES as readonly string[]).includes(type)) {
      return { kind: 'event', event: o.event as unknown as HealingEvent };
    }
  }
  return undefined;
}

/** Splits a byte stream into lines: feed chunks, get the complete lines (a bounded partial line is kept). */
export class LineSplitter {
  private partial = '';

  constructor(private readonly maxLine = 1 << 20) {}

  push(chunk: string): string[] {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    // a peer that never ends its line must not grow our memory without bound
    if (this.partial.length > this.maxLine) this.partial = '';
    return parts.filter((l) => l.trim() !== '');
  }
}
