// A tiny typed event source: the UI's callbacks (input, actions, resize, drain), each removable.
import type { Disposable } from '../common/disposable.js';

/** Listeners of one event. */
export class Emitter<T extends unknown[]> {
  /** The current listeners, called in registration order. */
  private readonly fns = new Set<(...a: T) => void>();

  /** Adds a listener; dispose() removes it. */
  on(fn: (...a: T) => void): Disposable {
    this.fns.add(fn);
    return { dispose: () => void this.fns.delete(fn) };
  }

  emit(...a: T): void {
    for (const fn of [...this.fns]) fn(...a);
  }
}
