// The sinks of one tether process: each reset record (and its update) becomes one event, queued for every
// sink and delivered beside the session; at exit a bounded flush, and what is left stays queued for later.
import { join } from 'node:path';
import type { ResetRecord, ResetUpdate } from '../history/record.js';
import { readUpdate } from '../history/record.js';
import type { EventKind, EventOrigin } from './event.js';
import { buildResetEvent } from './event.js';
import type { Backoff } from './lane.js';
import { Lane } from './lane.js';
import { DiskQueue } from './queue.js';
import type { SinkTransport } from './transport.js';

/** What the composition root hands over. */
export interface SinksOptions {
  /** tether's state directory: queues live in its `sinks/<name>/` (0700). */
  stateDir: string;
  transports: readonly SinkTransport[];
  origin: EventOrigin;
  backoff?: Backoff;
  maxEvents?: number;
  now?: () => number;
}

/** Records kept to merge an update into (a session has few resets; bounded all the same). */
const KNOWN_RECORDS = 200;

/** The directory of a sink's queue and status. */
export function sinkDir(stateDir: string, name: string): string {
  return join(stateDir, 'sinks', name);
}

/** Every configured sink of this process. */
export class Sinks {
  readonly lanes: readonly Lane[];
  /** Records seen in this process, by id, so an update is sent as the whole record. */
  private readonly known = new Map<string, ResetRecord>();
  /** Queue writes in emission order: the next waits for the one before. */
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: SinksOptions) {
    this.lanes = opts.transports.map(
      (t) => new Lane(t, new DiskQueue(sinkDir(opts.stateDir, t.name), opts.maxEvents), opts.backoff, opts.now),
    );
  }

  /** Sends what earlier processes left queued. */
  start(): void {
    for (const lane of this.lanes) void lane.drain();
  }

  /** A record just appended to the history. Never throws, never waits. */
  record(r: ResetRecord): void {
    this.known.set(r.id, r);
    if (this.known.size > KNOWN_RECORDS) this.known.delete(this.known.keys().next().value ?? '');
    this.emit(r, 'reset');
  }

  /** An update line just appended: sent as the whole record, under the same id. */
  update(id: string, fields: ResetUpdate): void {
    const before = this.known.get(id);
    if (before === undefined) return;
    // cleaned as the history's update line is (control characters, key blocks)
    const after = { ...before, ...readUpdate({ ...fields }) };
    this.known.set(id, after);
    this.emit(after, 'update');
  }

  /** Queues every record of the history for every sink and starts delivery; resolves once all are queued. */
  async exportAll(records: readonly ResetRecord[]): Promise<void> {
    for (const r of records) this.emit(r, 'export', false);
    await this.chain;
    for (const lane of this.lanes) void lane.drain();
  }

  /** Waits until the events queued so far were sent or failed, or `boundMs` passed, whichever is first. */
  async flush(boundMs: number): Promise<void> {
    const deadline = Date.now() + boundMs;
    // a ref'd timer: the sockets are unref'd, so this wait is what keeps a short-lived tether alive to deliver
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((r) => (timer = setTimeout(r, boundMs)));
    try {
      await Promise.race([this.chain, bound]);
      // a sink known to be down (waiting out its backoff) is not tried again: exit is not delayed by it
      for (const lane of this.lanes) {
        await Promise.race([lane.settled(), bound]);
        if (Date.now() >= deadline) return;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Flushes for at most `boundMs`, then stops every sink; anything undelivered stays queued on disk. */
  async close(boundMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush(boundMs);
    for (const lane of this.lanes) lane.stop();
  }

  private emit(r: ResetRecord, kind: EventKind, drain = true): void {
    if (this.closed || this.lanes.length === 0) return;
    const event = buildResetEvent(r, kind, this.opts.origin);
    this.chain = this.chain
      .then(() => Promise.all(this.lanes.map((l) => l.push(event))))
      .then(() => {
        if (drain) for (const lane of this.lanes) void lane.drain();
      });
  }
}
