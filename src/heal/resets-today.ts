// "resets today" on the status bar: this host's resets in the history file since local midnight, kept up to date.
import { readResets } from '../history/log.js';

/** The day's resets of one host, by record id (a record read from the file and one just written count once). */
export class ResetsToday {
  /** Record id → detectedAt (epoch ms). */
  private readonly seen = new Map<string, number>();

  constructor(private readonly wall: () => number) {}

  /** Reads the history once (a file that cannot be read leaves the count to this session's resets). */
  async load(historyFile: string, host: string): Promise<void> {
    const records = await readResets(historyFile, () => undefined).catch(() => []);
    const since = this.midnight();
    for (const r of records) {
      const at = Date.parse(r.detectedAt);
      if (r.host === host && at >= since) this.seen.set(r.id, at);
    }
  }

  /** A reset just recorded. */
  add(id: string, detectedAt: number): void {
    this.seen.set(id, detectedAt);
  }

  /** Resets since local midnight. */
  count(): number {
    const since = this.midnight();
    let n = 0;
    for (const at of this.seen.values()) if (at >= since) n++;
    return n;
  }

  private midnight(): number {
    const d = new Date(this.wall());
    d.setHours(0, 0, 0, 0);
    return d.getTime();
  }
}
