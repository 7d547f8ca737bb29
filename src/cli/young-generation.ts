// How big V8's young generation may grow in a healing session: as start-up left it, until output floods.
//
// A session that lives for days and reconnects often: left to grow, the young generation doubled (16 → 32 MB)
// after some fifty reconnects and stayed so, most of the +12 MB of resident memory a 500-reset soak saw
// (v8.getHeapSpaceStatistics per restore). Held at its start-up size, a flood of output runs through a young
// generation too small for it: 1 GiB to the screen took 95 s instead of 42 s. So it is held until the remote
// prints a flood, then left to grow (V8 reads the flag each time the space would grow).

/** Output in one window that counts as a flood, and the window. */
const FLOOD_BYTES = 32 * 1024 * 1024;
const WINDOW_MS = 10_000;

/** Holds the young generation's size, until the output shows the session needs throughput. */
export class YoungGeneration {
  private held = true;
  private windowStart = 0;
  private bytes = 0;

  constructor(
    private readonly setFlags: (flags: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    setFlags('--semi-space-growth-factor=1');
  }

  /** Whether the young generation is held at its size. */
  get holding(): boolean {
    return this.held;
  }

  /** The remote's output reached the terminal. */
  output(bytes: number): void {
    if (!this.held) return;
    const t = this.now();
    if (t - this.windowStart > WINDOW_MS) {
      this.windowStart = t;
      this.bytes = 0;
    }
    this.bytes += bytes;
    if (this.bytes < FLOOD_BYTES) return;
    this.held = false;
    this.setFlags('--semi-space-growth-factor=2'); // V8's default
  }
}
