// The facade the cli composes: bytes and events in, a local terminal with a bar and panels out.
// It never learns what SSH is: the cli feeds remote output and snapshots, and hears input/actions.
import type { Disposable } from '../common/disposable.js';
import { Emitter } from './emitter.js';
import { EscapeParser, parseEscapeChar, type EscapeAction } from './escape.js';
import type { OutageInfo, StatusSnapshot } from './status-text.js';
import { LocalTty, type TtyStreams } from './tty.js';
import { fixSizeReport, takeCursorReport } from './replies.js';
import { ScreenView } from './ui-view.js';

/** How start() is configured by the cli. */
export interface TerminalUIOptions extends TtyStreams {
  /** `~` by default; `none` or null for no escapes; `^X` accepted (OpenSSH's -e). */
  escapeChar?: string | null;
  /** false = `--no-status`: raw pass-through at full height, no bar. */
  statusBar: boolean;
  /** true = the bar always on the last row (a scroll region; the remote gets rows-1); default: only when it has something to say. */
  pinBar?: boolean;
  /** The clock for countdowns (ms); the same clock as StatusSnapshot.nextTryAt. */
  now?: () => number;
}

/** Local actions the cli acts on (escape keys, and `r` in the outage panel as `reconnect`). */
export type UIAction = Exclude<EscapeAction, { type: 'send' }>;

/** Emulator backlog (bytes) above which writeRemote asks the source to pause. */
const HIGH_WATER = 4 << 20;
/** How long remote output waits at start for the terminal's cursor position report (ms). */
const CPR_WAIT_MS = 300;

/** The local tty side of a session: raw mode, escapes, pass-through, status bar, panels. */
export class TerminalUI implements Disposable {
  /** Event sources for the cli. */
  private readonly inputE = new Emitter<[Buffer]>();
  private readonly actionE = new Emitter<[UIAction]>();
  private readonly resizeE = new Emitter<[number, number]>();
  private readonly drainE = new Emitter<[]>();
  /** Set by start(), cleared by dispose(). */
  private s: { opts: TerminalUIOptions; tty: LocalTty; esc: EscapeParser; view: ScreenView } | null = null;
  /** Whether writeRemote told the source to pause. */
  private wantDrain = false;
  /** Waiting for the terminal's reply to our cursor position query (until the deadline, ms). */
  private cprUntil = 0;
  /** Remote output that arrived before the cursor report (shown once it came, or at the deadline). */
  private early: Buffer[] | null = null;
  /** Shows the early output if the terminal never answers. */
  private cprTimer: NodeJS.Timeout | null = null;
  /** The 1 s tick for countdowns and flash expiry, only while something counts down. */
  private ticker: NodeJS.Timeout | null = null;
  /** Listeners to remove on dispose. */
  private readonly undo: (() => void)[] = [];

  /** What to send to the remote (escape keys already taken out). */
  onInput(fn: (bytes: Buffer) => void): Disposable {
    return this.inputE.on(fn);
  }
  /** Local actions: disconnect, reconnect, show-diagnosis, help, toggle-bar, unsupported. */
  onAction(fn: (a: UIAction) => void): Disposable {
    return this.actionE.on(fn);
  }
  /** The remote's new size after a local resize (rows, cols): resize the remote pty to it. */
  onResize(fn: (rows: number, cols: number) => void): Disposable {
    return this.resizeE.on(fn);
  }
  /** "writeRemote may continue" after it returned false. */
  onDrain(fn: () => void): Disposable {
    return this.drainE.on(fn);
  }

  /** Takes over the terminal: raw mode, scroll region, bar; arms the restore on every exit path. */
  start(opts: TerminalUIOptions): void {
    if (this.s) return;
    const tty = new LocalTty(opts);
    const { rows, cols } = tty.size();
    const escChar = opts.escapeChar === undefined ? '~' : opts.escapeChar;
    const esc = new EscapeParser(escChar === null ? null : parseEscapeChar(escChar));
    const now = opts.now ?? Date.now;
    const view = new ScreenView(rows, cols, opts.statusBar, (d) => this.out(d), now, opts.pinBar ?? false);
    this.s = { opts, tty, esc, view };
    view.model.onParsed = () => this.checkDrain();
    tty.enter(() => view.exitText());
    view.begin();
    if (tty.interactive) {
      this.out('\x1b[6n'); // where the cursor is, so the model and the screen agree from the start
      this.cprUntil = Date.now() + CPR_WAIT_MS;
      this.early = [];
      this.cprTimer = setTimeout(() => this.cprDone(), CPR_WAIT_MS);
    }
    const onData = (d: Buffer | string): void => this.input(typeof d === 'string' ? Buffer.from(d) : d);
    opts.stdin.on('data', onData);
    opts.stdin.resume();
    this.undo.push(() => {
      opts.stdin.removeListener('data', onData);
      opts.stdin.pause();
    });
    this.undo.push(tty.onResize((r, c) => this.resized(r, c)).dispose);
    this.undo.push(tty.onDrain(() => this.checkDrain()).dispose);
  }

  /** The size the remote pty must have: one row less than the local terminal when the bar is on. */
  remoteSize(): { rows: number; cols: number } {
    if (!this.s) throw new Error('TerminalUI.remoteSize before start');
    return { rows: this.s.view.remoteRows(), cols: this.s.view.width() };
  }

  /** Remote output to show; false = pause the source until onDrain. */
  writeRemote(data: Buffer): boolean {
    if (!this.s || data.length === 0) return true;
    if (this.early) {
      this.early.push(data);
      return true;
    }
    this.s.view.write(data);
    return !this.pressure();
  }

  /** A new status from the cli; the bar repaints at once. */
  setStatus(snapshot: StatusSnapshot): void {
    this.s?.view.setStatus(snapshot);
    this.schedule();
  }

  /** Shows (or updates) the outage panel over the remote frame; `r` then means retry now. */
  showOutage(info: OutageInfo): void {
    if (this.s?.view.panel?.kind !== 'outage') this.s?.esc.resetLineStart(); // `~.` works at once
    this.s?.view.showPanel({ kind: 'outage', info });
    this.schedule();
  }

  /** Removes the outage panel and paints the remote frame back from the model. */
  hideOutage(): void {
    this.s?.view.hidePanel('outage');
    this.schedule();
  }

  /** Shows text (help, the last diagnosis) in a panel until the next key. */
  showInfo(title: string, lines: string[]): void {
    this.s?.view.showPanel({ kind: 'info', title, lines });
  }

  /** A one-line message on the bar for `ms` milliseconds (e.g. after a restore). */
  flash(message: string, ms: number): void {
    this.s?.view.flash(message, ms);
    this.schedule();
  }

  /** Restores the terminal exactly as found and releases everything; safe to call twice. */
  dispose(): void {
    if (this.cprTimer) clearTimeout(this.cprTimer);
    this.cprTimer = null;
    this.early = null;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    for (const u of this.undo.splice(0).reverse()) u();
    const s = this.s;
    if (!s) return;
    s.tty.dispose();
    s.view.dispose();
    this.s = null;
  }

  private out(data: string | Buffer): void {
    if (this.s && !this.s.tty.write(data)) this.wantDrain = true;
  }

  /** Whether the source should pause (terminal or emulator behind). */
  private pressure(): boolean {
    if (this.s && this.s.view.model.backlog > HIGH_WATER) this.wantDrain = true;
    return this.wantDrain;
  }

  private checkDrain(): void {
    const s = this.s;
    if (!this.wantDrain || !s || s.view.model.backlog > HIGH_WATER) return;
    if (s.tty.blocked) return;
    this.wantDrain = false;
    this.drainE.emit();
  }

  /** Typed bytes: the cursor report, dismissing an info panel, `r` in the outage panel, escapes. */
  private input(data: Buffer): void {
    const s = this.s;
    if (!s) return;
    if (this.cprUntil > 0) data = this.takeCpr(data);
    if (data.length === 0) return;
    if (s.view.panel?.kind === 'info') {
      s.view.hidePanel('info'); // the key that closes a panel is not typing
      return;
    }
    if (s.view.panel?.kind === 'outage' && data.length === 1 && (data[0] === 0x72 || data[0] === 0x52)) {
      this.actionE.emit({ type: 'reconnect' });
      return;
    }
    for (const a of s.esc.feed(data)) {
      if (a.type === 'send') {
        this.inputE.emit(s.view.fenced ? fixSizeReport(a.bytes, s.view.remoteRows()) : a.bytes);
        continue;
      }
      if (a.type === 'help') s.view.showPanel({ kind: 'info', title: 'escape sequences', lines: a.text.split('\r\n') });
      else if (a.type === 'toggle-bar') s.view.toggleBar();
      else if (a.type === 'unsupported') this.flash(a.message, 3000);
      else if (a.type === 'suspend') this.suspend();
      this.actionE.emit(a);
    }
  }

  /** Takes our cursor position report out of the input and gives it to the model. */
  private takeCpr(data: Buffer): Buffer {
    if (Date.now() > this.cprUntil) {
      this.cprDone();
      return data;
    }
    const r = takeCursorReport(data);
    if (r === null) return data;
    this.s?.view.syncCursor(r.row, r.col);
    this.cprDone();
    return r.rest;
  }

  /** `~^Z`: the terminal as we found it, stop like OpenSSH does, and take it back on SIGCONT. */
  private suspend(): void {
    const s = this.s;
    if (!s || !s.tty.interactive) return;
    s.tty.writeNow(s.view.exitText());
    s.tty.pauseRaw();
    process.once('SIGCONT', () => {
      if (this.s !== s) return;
      s.tty.resumeRaw();
      const { rows, cols } = s.tty.size();
      if (s.view.resume(rows, cols)) this.resizeE.emit(s.view.remoteRows(), cols);
    });
    process.kill(process.pid, 'SIGTSTP'); // no listener: the default action stops the process
  }

  /** The cursor report came (or never will): early output goes out now, in order. */
  private cprDone(): void {
    this.cprUntil = 0;
    if (this.cprTimer) clearTimeout(this.cprTimer);
    this.cprTimer = null;
    const early = this.early ?? [];
    this.early = null;
    for (const d of early) this.s?.view.write(d);
  }

  private resized(rows: number, cols: number): void {
    const s = this.s;
    if (!s || !s.view.resize(rows, cols)) return;
    this.resizeE.emit(s.view.remoteRows(), cols);
  }

  /** Runs the 1 s tick while a countdown, a flash or an outage clock is visible. */
  private schedule(): void {
    const s = this.s;
    if (!s) return;
    const counting = s.view.counting();
    if (counting && !this.ticker) {
      this.ticker = setInterval(() => {
        this.s?.view.tick();
        this.schedule();
      }, 1000);
      this.ticker.unref();
    } else if (!counting && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
  }
}
