// Ownership of sockets, timers and listeners: whoever creates one registers its release here.

/** Something that releases what it holds; calling it twice is harmless. */
export interface Disposable {
  dispose(): void;
}

/** A bag of releases run in reverse order, once. */
export class DisposableStore implements Disposable {
  /** Pending releases; emptied on dispose. */
  private items: (() => void)[] = [];
  /** Set once disposed: later additions are released at once. */
  private disposed = false;

  add(release: (() => void) | Disposable): void {
    const fn = typeof release === 'function' ? release : () => release.dispose();
    if (this.disposed) fn();
    else this.items.push(fn);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const items = this.items.reverse();
    this.items = [];
    for (const fn of items) {
      try {
        fn();
      } catch {
        // a failing release must not keep the others from running
      }
    }
  }
}
