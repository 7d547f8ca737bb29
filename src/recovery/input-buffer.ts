// Keys typed while the link is down: held in order, bounded, counted for the status bar, sent after restore.

/** Default bound: far more than anyone types blind, small enough to never matter for memory. */
export const HELD_INPUT_LIMIT = 64 * 1024;

/** What the status bar shows about held input. */
export interface HeldInputStatus {
  readonly bytes: number;
  readonly chunks: number;
  /** Bytes refused because the buffer was full (reset by flush). */
  readonly droppedBytes: number;
}

/**
 * Held keystrokes. When full, the NEWEST input is refused whole (never split): the first keys a user
 * typed are the start of a command, and replaying its tail without its head, or half an escape
 * sequence or UTF-8 character, would run something they never typed.
 */
export class HeldInput {
  /** Chunks in typing order. */
  private chunks: Uint8Array[] = [];
  /** Sum of chunk lengths. */
  private size = 0;
  /** Bytes refused since the last flush. */
  private dropped = 0;

  constructor(private readonly limit: number = HELD_INPUT_LIMIT) {}

  /** Holds a chunk (copied); returns false if it was refused because it does not fit. */
  push(chunk: Uint8Array): boolean {
    if (chunk.length === 0) return true;
    if (this.size + chunk.length > this.limit) {
      this.dropped += chunk.length;
      return false;
    }
    this.chunks.push(Uint8Array.from(chunk));
    this.size += chunk.length;
    return true;
  }

  /** Held byte count, chunk count and dropped bytes, for the status bar. */
  status(): HeldInputStatus {
    return { bytes: this.size, chunks: this.chunks.length, droppedBytes: this.dropped };
  }

  /** Everything held, in order, as one buffer; the buffer is empty afterwards. */
  flush(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    this.clear();
    return out;
  }

  /** Discards everything (user quit, or the old shell is gone and the keys were meant for it). */
  clear(): void {
    this.chunks = [];
    this.size = 0;
    this.dropped = 0;
  }
}
