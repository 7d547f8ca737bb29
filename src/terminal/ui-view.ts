// What is on the local screen: the remote frame passed through, the bar, the panels, redraws.
// Fed from outside (bytes, snapshots); writes escape sequences through one `out` function.
import type { Disposable } from '../common/disposable.js';
import { Overlay } from './overlay.js';
import { ScreenModel } from './screen-model.js';
import { OutputRewriter } from './screen-rewrite.js';
import { formatOutage, formatStatus, type OutageInfo, type StatusSnapshot } from './status-text.js';
import { RESET_MODES } from './tty.js';
import { blankRow, FLASH_COLORS, INFO_COLORS, OUTAGE_COLORS, RESTORE_CURSOR, saveCursor, stateColors } from './ui-paint.js';

/** The panel over the remote frame: the outage, or help/diagnosis text until the next key. */
export type Panel = { kind: 'outage'; info: OutageInfo } | { kind: 'info'; title: string; lines: string[] };

/** The local screen's owner: pass-through with the bar fenced off, a model for redraws, panels. */
export class ScreenView implements Disposable {
  /** Rewrites remote output away from the bar row; tracks the remote's modes. */
  readonly rw: OutputRewriter;
  /** The remote frame as xterm.js sees it, for redraws. */
  readonly model: ScreenModel;
  /** blessed's bar and panel, composed off-screen. */
  private readonly overlay: Overlay;
  /** The last snapshot pushed by the cli. */
  private status: StatusSnapshot | null = null;
  /** Whether the bar row shows the bar (`~b`); the remote keeps rows-1 either way. */
  private barVisible = true;
  /** A transient message on the bar, and when it ends. */
  private flashMsg: { text: string; until: number } | null = null;
  /** The panel shown, if any. */
  panel: Panel | null = null;
  /** The outage panel hidden under an info panel (`~s`, `~?` during an outage): shown again when that one closes. */
  private outageUnder: Extract<Panel, { kind: 'outage' }> | null = null;
  /** Where the panel on screen is (Overlay.panelBox), '' when the frame has none. */
  private panelOnScreen = '';
  /** Set by dispose: a pending redraw then paints nothing. */
  private disposed = false;
  /** The pending redraw must also fence the (new) region and place the cursor absolutely. */
  private redrawForResize = false;
  /** Remote output held while the model catches up for a full redraw (keeps the order exact). */
  private held: Buffer[] | null = null;
  /** A transient bar is painted over the last row now (it goes at the next output). */
  private barOnScreen = false;
  /** Output dismissed the transient bar: it stays away until the state changes or a message comes. */
  private barQuiet = false;
  /** `~b` asked to see the transient bar (until the next output). */
  private barAsked = false;

  constructor(
    /** Local rows and columns. */
    private rows: number,
    private cols: number,
    /** false = `--no-status`: full height, no bar, no rewriting. */
    readonly statusBar: boolean,
    private readonly out: (data: string | Buffer) => void,
    private readonly now: () => number,
    /**
     * true: the bar is pinned on the last row behind a scroll region (the remote gets rows-1). false: the remote has
     * the whole screen, as under ssh, and the bar is painted over the last row only while there is something to say.
     */
    readonly pinned = true,
  ) {
    const rr = this.remoteRows();
    this.rw = new OutputRewriter(rr);
    this.model = new ScreenModel(cols, rr);
    this.overlay = new Overlay(cols, rows);
  }

  /** The remote pty's height: one row less than the local terminal when the bar is pinned. */
  remoteRows(): number {
    return this.fenced ? Math.max(1, this.rows - 1) : Math.max(1, this.rows);
  }

  /** The bar has a row of its own, fenced off by a scroll region. */
  get fenced(): boolean {
    return this.statusBar && this.pinned;
  }

  /** The local width (= the remote's). */
  width(): number {
    return this.cols;
  }

  /** Takes the screen: room for the bar if the cursor is on the last row, region fenced, bar drawn. */
  begin(): void {
    if (!this.fenced) return;
    this.out(`\n\x1b[A\x1b7\x1b[1;${this.remoteRows()}r\x1b8`);
    this.paintBar();
  }

  /** The local cursor position (1-based, from a CPR reply) given to the model, so redraws agree. */
  syncCursor(row: number, col: number): void {
    this.model.feed(Buffer.from(`\x1b[${Math.min(row, this.remoteRows())};${col}H`), false);
  }

  /** Remote output: to the model, and rewritten to the terminal with the bar repaint in the same write. */
  write(data: Buffer): void {
    if (this.held) {
      this.held.push(data);
      return;
    }
    if (this.barOnScreen && !this.fenced) {
      // a transient bar is over the remote's last row: the row comes back from the model before the output
      this.barOnScreen = false;
      this.barQuiet = true;
      this.barAsked = false;
      this.flashMsg = null;
      this.redraw(false);
      this.write(data); // held until the redraw is painted
      return;
    }
    // bulk plain text may be condensed for the model (the region is read before this chunk changes it)
    this.model.feed(data, this.rw.modes.region === null && !this.rw.modes.originMode);
    const r = this.rw.process(data);
    if (this.fenced) {
      if (r.barDamaged) r.chunks.push(Buffer.from(this.barText()));
      this.out(r.chunks.length === 1 ? (r.chunks[0] as Buffer) : Buffer.concat(r.chunks));
    } else this.out(data); // processed only to track the modes for the exit cleanup
    if (this.panel) this.paintPanel();
  }

  setStatus(snapshot: StatusSnapshot): void {
    if (snapshot.state !== this.status?.state) this.barQuiet = false;
    // a new outage: the last one's line ("link down 2.4 s: …") would contradict the panel
    if (snapshot.state !== 'connected' && this.status?.state === 'connected') this.flashMsg = null;
    this.status = snapshot;
    this.paintBar();
  }

  flash(message: string, ms: number): void {
    this.flashMsg = { text: ` ${message}`, until: this.now() + ms };
    this.barQuiet = false;
    this.paintBar();
  }

  toggleBar(): void {
    if (this.fenced) this.barVisible = !this.barVisible;
    else {
      this.barAsked = !this.barOnScreen;
      this.barQuiet = false;
    }
    this.paintBar();
  }

  /** Shows a panel over the frame; an info panel covers the outage panel, which comes back when it closes. */
  showPanel(panel: Panel): void {
    if (panel.kind === 'outage' && this.panel?.kind === 'info') {
      this.outageUnder = panel; // updated underneath, shown when the info panel closes
      return;
    }
    if (panel.kind === 'info' && this.panel?.kind === 'outage') this.outageUnder = this.panel;
    this.panel = panel;
    this.paintPanel(); // a box of another size or place paints the frame back first
  }

  /** Removes the panel of that kind, painting the frame back from the model (and the outage panel under it). */
  hidePanel(kind: Panel['kind']): void {
    if (kind === 'outage') this.outageUnder = null;
    if (this.panel?.kind !== kind) return;
    this.panel = kind === 'info' ? this.outageUnder : null;
    this.outageUnder = null;
    this.redraw(false);
  }

  /** Whether something on screen counts down (the UI runs its 1 s tick only then). */
  counting(): boolean {
    return this.flashMsg !== null || this.panel?.kind === 'outage' || this.status?.state === 'reconnecting';
  }

  /** The 1 s tick: countdowns and flash expiry. */
  tick(): void {
    this.paintBar();
    if (this.panel?.kind === 'outage') this.paintPanel();
  }

  /** The local terminal changed size: everything follows, the frame is painted again. */
  resize(rows: number, cols: number): boolean {
    if (rows === this.rows && cols === this.cols) return false;
    this.rows = rows;
    this.cols = cols;
    const rr = this.remoteRows();
    this.overlay.resize(cols, rows);
    this.rw.setRows(rr);
    this.model.resize(cols, rr);
    this.redraw(true);
    return true;
  }

  /** Back from a suspend (`~^Z`): the remote's modes, the alt screen, region, frame and bar again. */
  resume(rows: number, cols: number): boolean {
    const t = this.model.term;
    const m = t.modes;
    const mouse = { none: '', x10: '\x1b[?9h', vt200: '\x1b[?1000h', drag: '\x1b[?1002h', any: '\x1b[?1003h' }[m.mouseTrackingMode];
    let seq = t.buffer.active.type === 'alternate' ? '\x1b[?1049h' : '';
    if (m.applicationCursorKeysMode) seq += '\x1b[?1h';
    if (m.applicationKeypadMode) seq += '\x1b=';
    if (m.bracketedPasteMode) seq += '\x1b[?2004h';
    if (m.sendFocusMode) seq += '\x1b[?1004h';
    if (mouse) seq += mouse + (this.rw.modes.mouseEncoding ? `\x1b[?${this.rw.modes.mouseEncoding}h` : '');
    this.out(seq);
    const resized = this.resize(rows, cols);
    if (!resized) this.redraw(true);
    return resized;
  }

  /** What the terminal gets on the way out: bar row cleared, alt screen left, modes reset. */
  exitText(): string {
    // leave the alternate screen first: the bar row to blank is the main screen's
    let t = this.rw.modes.altScreen || this.model.term.buffer.active.type === 'alternate' ? '\x1b[?1049l' : '';
    if (this.fenced || this.barOnScreen) t += `\x1b7${blankRow(this.rows)}\x1b8`;
    return t + RESET_MODES;
  }

  dispose(): void {
    this.disposed = true;
    this.overlay.dispose();
    this.model.dispose();
  }

  private paintBar(): void {
    if (this.statusBar && !this.pinned && this.barOnScreen && !this.hasSomethingToSay()) {
      // the transient bar has nothing more to say: the remote's last row comes back from the model
      this.barOnScreen = false;
      this.redraw(false);
      return;
    }
    const t = this.barText();
    if (t) this.out(t);
  }

  /** Whether a transient bar has anything to show: a link not healthy, a message, or `~b`. */
  private hasSomethingToSay(): boolean {
    if (this.flashMsg && this.flashMsg.until <= this.now()) this.flashMsg = null;
    if (this.barQuiet) return false;
    return this.barAsked || this.flashMsg !== null || (this.status !== null && this.status.state !== 'connected');
  }

  /** The bar (or its blank row) as escape sequences that leave the cursor where it was. */
  private barText(): string {
    if (!this.statusBar) return '';
    if (!this.pinned) {
      if (!this.hasSomethingToSay()) return '';
      this.barOnScreen = true;
    }
    const now = this.now();
    if (this.flashMsg && this.flashMsg.until <= now) this.flashMsg = null;
    let body: string;
    if (!this.barVisible) body = blankRow(this.rows);
    else if (this.flashMsg) body = this.overlay.barSequence(this.flashMsg.text, FLASH_COLORS);
    else {
      const text = this.status ? formatStatus(this.status, this.cols, now) : ' tether';
      body = this.overlay.barSequence(text, stateColors(this.status?.state));
    }
    return saveCursor(this.rw.modes.originMode) + body + RESTORE_CURSOR;
  }

  private paintPanel(): void {
    const p = this.panel;
    if (!p) return;
    const area = this.remoteRows();
    const width = Math.max(20, Math.min(this.cols - 4, 76));
    const seq =
      p.kind === 'outage'
        ? this.overlay.panelSequence('tether: link down', formatOutage(p.info, width, this.now()), OUTAGE_COLORS, area)
        : this.overlay.panelSequence(p.title, p.lines, INFO_COLORS, area);
    const box = this.overlay.panelBox;
    if (this.panelOnScreen !== '' && box !== this.panelOnScreen) {
      // the box moved or changed size (a longer line, one more line): the old border would stay beside the new one
      this.panelOnScreen = '';
      this.redraw(false); // paints the frame, then this panel again
      return;
    }
    this.panelOnScreen = box;
    this.out(`${saveCursor(this.rw.modes.originMode)}\x1b[?25l${seq}${RESTORE_CURSOR}`);
  }

  /** Paints the remote frame from the model once it has parsed everything; output waits meanwhile. */
  private redraw(afterResize: boolean): void {
    this.redrawForResize ||= afterResize; // a resize during a pending redraw upgrades it
    if (this.held) return;
    this.held = [];
    this.model.flush(() => {
      const held = this.held ?? [];
      this.held = null;
      const afterResize = this.redrawForResize;
      this.redrawForResize = false;
      if (this.disposed) return;
      const c = this.model.cursor();
      const m = this.rw.modes;
      // the cursor goes where the model has it (with origin mode, rows count from the region top)
      const row = c.y + 1 - (m.originMode && m.region !== null ? m.region[0] - 1 : 0);
      const place = `\x1b[${row};${c.x + 1}H${m.cursorHidden ? '' : '\x1b[?25h'}`;
      const frame = this.model.frameSequence();
      this.panelOnScreen = ''; // the frame covers the panel's place
      if (afterResize) {
        const region = this.fenced ? this.rw.regionSequence() : '';
        this.out(`\x1b[?25l${region}${m.originMode ? '\x1b[?6l' : ''}${frame}${m.originMode ? '\x1b[?6h' : ''}${place}`);
      } else this.out(`\x1b[?25l${saveCursor(m.originMode)}${frame}${RESTORE_CURSOR}${place}`);
      this.paintBar();
      if (this.panel) this.paintPanel();
      for (const d of held) this.write(d);
    });
  }
}
