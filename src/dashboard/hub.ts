// The live sessions on this machine, as the dashboard sees them: one reader per socket in the live directory.
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Disposable } from '../common/disposable.js';
import { foldLiveView } from '../events/live-view.js';
import type { LiveView } from '../events/live-view.js';
import { listEntries, removeIfDead } from '../live/dir.js';
import { readLiveSession } from '../live/reader.js';

/** How often the directory and the history file are looked at (a watch may miss events; this never does). */
const SCAN_MS = 500;

/** What the hub tells the server. */
export interface HubHandlers {
  /** The set of live sessions or one of them changed. */
  onSessions: (sessions: LiveView[]) => void;
  /** The history file changed (a reset recorded, an update line, another process). */
  onHistoryChanged: () => void;
}

/** Watches the live directory and the history file; dispose() stops everything. */
export class LiveHub implements Disposable {
  /** Readers and the latest view, by socket path. */
  private readonly sessions = new Map<string, { reader: Disposable; view: LiveView | undefined }>();
  private timer: NodeJS.Timeout | undefined;
  private watcher: FSWatcher | undefined;
  /** The history file's size and mtime at the last look (undefined: not looked yet). */
  private historyStamp: string | undefined;
  private scanning = false;
  private disposed = false;

  constructor(
    private readonly dir: string,
    private readonly historyFile: string,
    private readonly h: HubHandlers,
  ) {}

  start(): void {
    void this.scan();
    this.timer = setInterval(() => void this.scan(), SCAN_MS);
    this.timer.unref();
    try {
      this.watcher = watch(this.dir, () => void this.scan());
      this.watcher.on('error', () => undefined);
    } catch {
      // no directory yet (no session ever ran): the periodic scan finds it later
    }
  }

  /** The live sessions now, oldest first (sessions that have not said who they are yet are left out). */
  list(): LiveView[] {
    return [...this.sessions.values()].flatMap((s) => (s.view && s.view.host !== '' ? [s.view] : [])).sort((a, b) => a.startedAt - b.startedAt);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    this.watcher?.close();
    for (const s of this.sessions.values()) s.reader.dispose();
    this.sessions.clear();
  }

  private async scan(): Promise<void> {
    if (this.scanning || this.disposed) return;
    this.scanning = true;
    try {
      for (const e of await listEntries(this.dir)) {
        if (this.sessions.has(e.path) || (await removeIfDead(e))) continue;
        if (this.disposed) return;
        this.follow(e.path);
      }
      await this.checkHistory();
    } finally {
      this.scanning = false;
    }
  }

  private follow(path: string): void {
    const entry: { reader: Disposable; view: LiveView | undefined } = { reader: { dispose: () => undefined }, view: undefined };
    this.sessions.set(path, entry);
    entry.reader = readLiveSession(path, {
      onMessage: (m) => {
        entry.view = m.kind === 'snapshot' ? m.view : entry.view && foldLiveView(entry.view, m.event);
        this.h.onSessions(this.list());
      },
      onEnd: () => {
        this.sessions.delete(path);
        this.h.onSessions(this.list());
      },
    });
  }

  private async checkHistory(): Promise<void> {
    const st = await stat(this.historyFile).catch(() => undefined);
    const stamp = st ? `${st.size}:${st.mtimeMs}` : '';
    const before = this.historyStamp;
    this.historyStamp = stamp;
    if (before !== undefined && stamp !== before) this.h.onHistoryChanged();
  }
}
