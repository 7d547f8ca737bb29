// The facade the cli composes: bytes and events in, a local terminal with a bar and panels out.
// It never learns what SSH is: the cli feeds remote output and snapshots, and hears input/actions.
import type { Disposable } from '../common/disposable.js';
import { EscapeParser, parseEscapeChar, type EscapeAction } from './escape.js';
import { Overlay } from './overlay.js';
import { ScreenModel } from './screen-model.js';
import { OutputRewriter } from './screen-rewrite.js';
import { formatOutage, formatStatus, type OutageInfo, type StatusSnapshot } from './status-text.js';
import { LocalTty, RESET_MODES, type TtyStreams } from './tty.js';
import { blankRow, FLASH_COLORS, INFO_COLORS, OUTAGE_COLORS, RESTORE_CURSOR, saveCursor, stateColors } from './ui-paint.js';

/** How start() is configured by the cli. */
export interface TerminalUIOptions extends TtyStreams {
  /** `~` by default; `none` or null for no escapes; `^X` accepted (OpenSSH's -e). */
  escapeChar?: string | null;
  /** false = `--no-status`: raw pass-through at full height, no bar. */
  statusBar: boolean;
  /** The clock for countdowns (ms); the same clock as StatusSnapshot.nextTryAt. */
  now?: () => number;
}

/** Local actions the cli acts on (escape keys, and `r` in the outage panel). */
export type UIAction = Exclude<EscapeAction, { type: 'send' }>;

/** Emulator backlog (bytes) above which writeRemote asks the source to pause. */
const HIGH_WATER = 4 << 20;

/** Listeners of one event, each removable. */
class Emitter<T extends unknown[]> {
  /** The current listeners. */
  private readonly fns = new Set<(...a: T) => void>();
  on(fn: (...a: T) => void): Disposable {
    this.fns.add(fn);
    return { dispose: () => this.fns.delete(fn) };
  }
  emit(...a: T): void {
    for (const fn of [...this.fns]) fn(...a);
  }
}

/** The local tty side of a session: raw mode, escapes, pass-through, status bar, panels. */
export class TerminalUI implements Disposable {
  /** Listeners, one emitter per event. */
  private readonly inputE = new Emitter<[Buffer]>();
  private readonly actionE = new Emitter<[UIAction]>();
  private readonly resizeE = new Emitter<[number, number]>();
  private readonly drainE = new Emitter<[]>();
  /** Set by start(); everything below exists only while started. */
  private s: {
    opts: TerminalUIOptions;
    tty: LocalTty;
    esc: EscapeParser;
    rw: OutputRewriter;
    model: ScreenModel;
    overlay: Overlay;
    now: () => number;
    rows: number;
    cols: number;
  } | null = null;
  /** The last snapshot pushed by the cli. */
  private status: StatusSnapshot | null = null;
  /** Whether the bar row shows the bar (`~b`); the remote keeps rows-1 either way. */
  private barVisible = true;
  /** A transient message on the bar, and when it ends. */
  private flashMsg: { text: string; until: number } | null = null;
  /** The panel over the remote frame: the outage, or help/diagnosis text until the next key. */
  private panel: { kind: 'outage'; info: OutageInfo } | { kind: 'info'; title: string; lines: string[] } | null = null;
  /** Remote output held while the model catches up for a full redraw (keeps the order exact). */
  private held: Buffer[] | null = null;
  /** Whether writeRemote told the source to pause. */
  private wantDrain = false;
  /** The 1 s tick for countdowns and flash expiry, only while something counts down. */
  private ticker: NodeJS.Timeout | null = null;
  /** Listeners to remove on dispose. */
  private readonly undo: (() => void)[] = [];

  /** Registers a listener for what to send to the remote (escape keys already taken out). */
  onInput(fn: (bytes: Buffer) => void): Disposable {
    return this.inputE.on(fn);
  }
  /** Registers a listener for local actions (disconnect, reconnect, show-diagnosis, ...). */
  onAction(fn: (a: UIAction) => void): Disposable {
    return this.actionE.on(fn);
  }
  /** Registers a listener for the remote size after a local resize (rows, cols). */
  onResize(fn: (rows: number, cols: number) => void): Disposable {
    return this.resizeE.on(fn);
  }
  /** Registers a listener for "writeRemote may continue" after it returned false. */
  onDrain(fn: () => void): Disposable {
    return this.drainE.on(fn);
  }

  /** Takes over the terminal: raw mode, scroll region, bar. */
  start(opts: TerminalUIOptions): void {
    if (this.s) return;
    const tty = new LocalTty(opts);
    const { rows, cols } = tty.size();
    const escChar = opts.escapeChar === undefined ? '~' : opts.escapeChar;
    const esc = new EscapeParser(escChar === null ? null : parseEscapeChar(escChar));
    const rr = this.remoteRowsFor(rows, opts.statusBar);
    const s = { opts, tty, esc, rw: new OutputRewriter(rr), model: new ScreenModel(cols, rr), overlay: new Overlay(cols, rows), now: opts.now ?? Date.now, rows, cols };
    this.s = s;
    s.model.onParsed = () => this.checkDrain();
    tty.enter(() => this.exitText());
    if (opts.statusBar) {
      // make room for the bar when the cursor sits on the last row, then fence it off
      this.out(`\n\x1b[A\x1b7\x1b[1;${rr}r\x1b8`);
      this.paintBar();
    }
    const onData = (d: Buffer | string): void => this.input(typeof d === 'string' ? Buffer.from(d) : d);
    opts.stdin.on('data', onData);
    opts.stdin.resume();
    this.undo.push(() => {
      opts.stdin.removeListener('data', onData);
      opts.stdin.pause();
    });
    this.undo.push(tty.onResize((r, c) => this.resized(r, c)).dispose);
    const onDrain = (): void => this.checkDrain();
    opts.stdout.on('drain', onDrain);
    this.undo.push(() => opts.stdout.removeListener('drain', onDrain));
  }

  /** The size the remote pty must have: one row less than the local terminal when the bar is on. */
  remoteSize(): { rows: number; cols: number } {
    if (!this.s) throw new Error('TerminalUI.remoteSize before start');
    return { rows: this.remoteRowsFor(this.s.rows, this.s.opts.statusBar), cols: this.s.cols };
  }

  /** Remote output to show; false = pause the source until onDrain. */
  writeRemote(data: Buffer): boolean {
    const s = this.s;
    if (!s || data.length === 0) return true;
    if (this.held) {
      this.held.push(data);
      return !this.pressure();
    }
    // bulk plain text may be condensed for the model (the region is read before this chunk changes it)
    s.model.feed(data, s.rw.modes.region === null && !s.rw.modes.originMode);
    if (s.opts.statusBar) {
      const r = s.rw.process(data);
      // one write: the bar repaint travels with the output that erased it (no flicker, no gap)
      if (r.barDamaged) r.chunks.push(Buffer.from(this.barText()));
      this.out(r.chunks.length === 1 ? (r.chunks[0] as Buffer) : Buffer.concat(r.chunks));
    } else {
      s.rw.process(data); // only to track the remote's modes for the exit cleanup
      this.out(data);
    }
    if (this.panel) this.paintPanel();
    return !this.pressure();
  }

  /** A new status from the cli; the bar repaints at once. */
  setStatus(snapshot: StatusSnapshot): void {
    this.status = snapshot;
    this.paintBar();
    this.schedule();
  }

  /** Shows (or updates) the outage panel over the remote frame. */
  showOutage(info: OutageInfo): void {
    this.panel = { kind: 'outage', info };
    this.paintPanel();
    this.schedule();
  }

  /** Removes the outage panel and paints the remote frame back from the model. */
  hideOutage(): void {
    if (this.panel?.kind !== 'outage') return;
    this.panel = null;
    this.redraw(false);
  }

  /** Shows text (help, the last diagnosis) in a panel until the next key. */
  showInfo(title: string, lines: string[]): void {
    this.panel = { kind: 'info', title, lines };
    this.paintPanel();
  }

  /** A one-line message on the bar for `ms` milliseconds (e.g. after a restore). */
  flash(message: string, ms: number): void {
    if (!this.s) return;
    this.flashMsg = { text: ` ${message}`, until: this.s.now() + ms };
    this.paintBar();
    this.schedule();
  }

  /** Restores the terminal exactly as found and releases everything. */
  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    for (const u of this.undo.splice(0).reverse()) u();
    const s = this.s;
    if (!s) return;
    s.tty.dispose();
    s.overlay.dispose();
    s.model.dispose();
    this.s = null;
  }

  private remoteRowsFor(rows: number, bar: boolean): number {
    return bar ? Math.max(1, rows - 1) : Math.max(1, rows);
  }

  private out(data: string | Buffer): void {
    if (!this.s) return;
    if (this.s.opts.stdout.write(data) === false) this.wantDrain = true;
  }

  /** Whether the source should pause (terminal or emulator behind). */
  private pressure(): boolean {
    const s = this.s;
    const p = this.wantDrain || (s !== null && s.model.backlog > HIGH_WATER);
    if (p) this.wantDrain = true;
    return p;
  }

  private checkDrain(): void {
    const s = this.s;
    if (!this.wantDrain || !s || s.model.backlog > HIGH_WATER) return;
    if ((s.opts.stdout as { writableNeedDrain?: boolean }).writableNeedDrain === true) return;
    this.wantDrain = false;
    this.drainE.emit();
  }

  /** Typed bytes: dismiss an info panel, `r` in the outage panel, escapes, then the remote. */
  private input(data: Buffer): void {
    if (this.panel?.kind === 'info') {
      this.panel = null;
      this.redraw(false);
    }
    if (this.panel?.kind === 'outage' && data.length === 1 && (data[0] === 0x72 || data[0] === 0x52)) {
      this.actionE.emit({ type: 'reconnect' });
      return;
    }
    for (const a of this.s?.esc.feed(data) ?? []) {
      if (a.type === 'send') {
        this.inputE.emit(a.bytes);
        continue;
      }
      if (a.type === 'help') this.showInfo('escape sequences', a.text.split('\r\n'));
      else if (a.type === 'toggle-bar') {
        this.barVisible = !this.barVisible;
        this.paintBar();
      } else if (a.type === 'unsupported') this.flash(a.message, 3000);
      this.actionE.emit(a);
    }
  }

  private paintBar(): void {
    const t = this.barText();
    if (t) this.out(t);
  }

  /** The bar (or its blank row) as escape sequences that leave the cursor where it was. */
  private barText(): string {
    const s = this.s;
    if (!s || !s.opts.statusBar) return '';
    const now = s.now();
    if (this.flashMsg && this.flashMsg.until <= now) this.flashMsg = null;
    let body: string;
    if (!this.barVisible) body = blankRow(s.rows);
    else if (this.flashMsg) body = s.overlay.barSequence(this.flashMsg.text, FLASH_COLORS);
    else {
      const text = this.status ? formatStatus(this.status, s.cols, now) : ' tether';
      body = s.overlay.barSequence(text, stateColors(this.status?.state));
    }
    return saveCursor(s.rw.modes.originMode) + body + RESTORE_CURSOR;
  }

  private paintPanel(): void {
    const s = this.s;
    const p = this.panel;
    if (!s || !p) return;
    const area = this.remoteRowsFor(s.rows, s.opts.statusBar);
    const width = Math.max(20, Math.min(s.cols - 4, 76));
    const seq =
      p.kind === 'outage'
        ? s.overlay.panelSequence(`tether: link down`, formatOutage(p.info, width, s.now()), OUTAGE_COLORS, area)
        : s.overlay.panelSequence(p.title, p.lines, INFO_COLORS, area);
    this.out(`${saveCursor(s.rw.modes.originMode)}\x1b[?25l${seq}${RESTORE_CURSOR}`);
  }

  /** Paints the remote frame from the model once it has parsed everything; output waits meanwhile. */
  private redraw(afterResize: boolean): void {
    const s = this.s;
    if (!s || this.held) return;
    this.held = [];
    s.model.flush(() => {
      if (this.s !== s) return;
      const frame = s.model.frameSequence();
      const cursorMode = s.rw.modes.cursorHidden ? '' : '\x1b[?25h';
      if (afterResize) {
        const c = s.model.cursor();
        const region = s.opts.statusBar ? s.rw.regionSequence() : '';
        this.out(`\x1b[?25l${region}${frame}\x1b[${c.y + 1};${c.x + 1}H${cursorMode}`);
      } else this.out(`\x1b[?25l${saveCursor(s.rw.modes.originMode)}${frame}${RESTORE_CURSOR}${cursorMode}`);
      this.paintBar();
      if (this.panel) this.paintPanel();
      const held = this.held ?? [];
      this.held = null;
      for (const d of held) this.writeRemote(d);
    });
  }

  private resized(rows: number, cols: number): void {
    const s = this.s;
    if (!s || (rows === s.rows && cols === s.cols)) return;
    s.rows = rows;
    s.cols = cols;
    const rr = this.remoteRowsFor(rows, s.opts.statusBar);
    s.overlay.resize(cols, rows);
    s.rw.setRows(rr);
    s.model.resize(cols, rr);
    this.redraw(true);
    this.resizeE.emit(rr, cols);
  }

  /** Runs the 1 s tick while a countdown, a flash or an outage clock is visible. */
  private schedule(): void {
    const s = this.s;
    if (!s) return;
    const counting = this.flashMsg !== null || this.panel?.kind === 'outage' || this.status?.state === 'reconnecting';
    if (counting && !this.ticker) {
      this.ticker = setInterval(() => {
        this.paintBar();
        if (this.panel?.kind === 'outage') this.paintPanel();
        this.schedule();
      }, 1000);
      this.ticker.unref();
    } else if (!counting && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
  }

  /** What the terminal gets on the way out: bar row cleared, alt screen left, modes reset. */
  private exitText(): string {
    const s = this.s;
    if (!s) return RESET_MODES;
    let t = '';
    if (s.opts.statusBar) t += `\x1b7${blankRow(s.rows)}\x1b8`;
    if (s.rw.modes.altScreen || s.model.term.buffer.active.type === 'alternate') t += '\x1b[?1049l';
    return t + RESET_MODES;
  }
}
