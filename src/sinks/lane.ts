// One sink's delivery loop: sends its disk queue in order, one event at a time, and takes an event out only
// once the sink took it; on failure it waits (backoff) and tries again. Runs beside the session, never in its way.
import type { ResetEvent } from './event.js';
import type { DiskQueue } from './queue.js';
import type { SinkStatus } from './status.js';
import { oneLine, readStatus, writeStatus } from './status.js';
import type { SinkTransport } from './transport.js';

/** Retry delays after failures: doubling from base to cap, each drawn from its upper half. */
export interface Backoff {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, capMs: 30_000 };

/** How often to look again while another tether process holds the queue. */
const POLL_MS = 5000;

/** A sink, its queue, and the state of its deliveries. */
export class Lane {
  /** The retry timer (unref'd: it never keeps tether running). */
  private timer: NodeJS.Timeout | undefined;
  /** The pass under way, if any. */
  private running: Promise<void> | undefined;
  /** Another pass was asked for while one ran. */
  private again = false;
  private failures = 0;
  /** Set by stop(): no new send starts, no retry is scheduled. */
  private stopped = false;

  constructor(
    readonly transport: SinkTransport,
    readonly queue: DiskQueue,
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues an event (never sends it directly: the queue is the order). */
  async push(event: ResetEvent): Promise<void> {
    try {
      const dropped = await this.queue.push(event, this.now());
      if (dropped > 0) await this.note((s) => ({ ...s, dropped: (s.dropped ?? 0) + dropped }));
    } catch (err) {
      await this.note((s) => this.failed(s, `cannot queue: ${oneLine(err)}`)).catch(() => undefined);
    }
  }

  /** Starts a delivery pass (or asks the running one to look again); resolves when the pass ends. */
  drain(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    const run = this.pass()
      .catch(async (err: unknown) => {
        await this.note((s) => this.failed(s, oneLine(err))).catch(() => undefined);
        this.retryIn(this.nextDelay());
      })
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.drain();
        }
      });
    this.running = run;
    return run;
  }

  /** Resolves when the pass under way (if any) ends; a sink waiting out its backoff is not tried again for it. */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Stops at once: no new send, no retry; the queue stays on disk for the next tether. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.transport.close();
    this.queue.unlock();
  }

  private async pass(): Promise<void> {
    let names = await this.queue.list();
    if (names.length === 0) return;
    if (!(await this.queue.lock())) {
      // another tether delivers this queue now; look again later in case it exits first
      this.retryIn(POLL_MS);
      return;
    }
    let sent = 0;
    try {
      await this.queue.sweep(this.now());
      while (names.length > 0) {
        for (const name of names) {
          if (this.stopped) return;
          const event = await this.queue.read(name);
          if (event !== undefined) {
            try {
              await this.transport.send(event);
            } catch (err) {
              const why = oneLine(err);
              await this.note((s) => this.failed(sent > 0 ? this.succeeded(s) : s, why));
              this.retryIn(this.nextDelay());
              return;
            }
            sent++;
            this.failures = 0;
          }
          // a crash right here sends this event again: the receiver can drop it by (id, kind)
          await this.queue.remove(name);
        }
        names = await this.queue.list();
      }
      if (sent > 0) await this.note((s) => this.succeeded(s));
    } finally {
      this.queue.unlock();
    }
  }

  private succeeded(s: SinkStatus): SinkStatus {
    return { ...s, lastSuccessAt: new Date(this.now()).toISOString() };
  }

  private failed(s: SinkStatus, why: string): SinkStatus {
    return { ...s, lastErrorAt: new Date(this.now()).toISOString(), lastError: why };
  }

  /** Read-modify-write of the status file (concurrent writers: the last one wins, which is the newest news). */
  private async note(change: (s: SinkStatus) => SinkStatus): Promise<void> {
    await writeStatus(this.queue.dir, change(await readStatus(this.queue.dir)));
  }

  private nextDelay(): number {
    const ms = Math.min(this.backoff.capMs, this.backoff.baseMs * 2 ** this.failures);
    this.failures = Math.min(this.failures + 1, 30);
    // half jitter: a fleet whose collector comes back does not retry in step
    return ms / 2 + Math.random() * (ms / 2);
  }

  private retryIn(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, ms);
    this.timer.unref();
  }
}
