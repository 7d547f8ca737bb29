// The one port of the healing session: it publishes, subscribers listen; a failing subscriber never reaches the session.
import type { Disposable } from '../common/disposable.js';
import type { HealingEvent } from './events.js';

/** A subscriber: called synchronously with each event, in publish order. */
export type HealingListener = (event: HealingEvent) => void;

/** Told when a subscriber threw (the session's debug log); it must not throw itself. */
export type ListenerFailure = (err: unknown, event: HealingEvent) => void;

/** The session's event port. */
export class SessionEvents {
  /** Current subscribers; a copy is iterated, so (un)subscribing during a publish is safe. */
  private listeners: HealingListener[] = [];

  constructor(private readonly onFailure: ListenerFailure = () => undefined) {}

  /** Adds a subscriber; dispose() removes it (twice is harmless). */
  subscribe(listener: HealingListener): Disposable {
    // wrapped, so the same function subscribed twice is two subscriptions
    const entry: HealingListener = (e) => listener(e);
    this.listeners = [...this.listeners, entry];
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== entry);
      },
    };
  }

  /** Hands the event to every subscriber; errors are reported to onFailure and never thrown. */
  publish(event: HealingEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        try {
          this.onFailure(err, event);
        } catch {
          // the failure report itself failed: still nothing reaches the session
        }
      }
    }
  }

  /** How many subscribers listen (tests, and to skip building events nobody reads). */
  get size(): number {
    return this.listeners.length;
  }
}
