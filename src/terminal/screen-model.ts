// The model of the remote screen (@xterm/headless), fed the same bytes as the local terminal,
// so the whole frame can be painted again after a panel, a bar toggle or a resize.
import unicode11 from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import type { IBufferCell, Terminal as XTerminal } from '@xterm/headless';
import type { Disposable } from '../common/disposable.js';
import { condenseForModel } from './screen-condense.js';

const { Terminal } = xterm;
const { Unicode11Addon } = unicode11;

/** How long output gathers before the emulator parses it: enough reads to condense a stream. */
const BATCH_MS = 10;

/** SGR parameters for one colour (foreground base 30, background base 40). */
function colorParams(mode: 'fg' | 'bg', cell: IBufferCell): string {
  const isFg = mode === 'fg';
  if (isFg ? cell.isFgDefault() : cell.isBgDefault()) return '';
  const c = isFg ? cell.getFgColor() : cell.getBgColor();
  if (isFg ? cell.isFgRGB() : cell.isBgRGB()) return `;${isFg ? 38 : 48};2;${(c >> 16) & 255};${(c >> 8) & 255};${c & 255}`;
  if (c < 8) return `;${(isFg ? 30 : 40) + c}`;
  if (c < 16) return `;${(isFg ? 90 : 100) + c - 8}`;
  return `;${isFg ? 38 : 48};5;${c}`;
}

/** The full SGR sequence for a cell's attributes (starting from a reset). */
export function cellSgr(cell: IBufferCell): string {
  let p = '0';
  if (cell.isBold()) p += ';1';
  if (cell.isDim()) p += ';2';
  if (cell.isItalic()) p += ';3';
  if (cell.isUnderline()) p += ';4';
  if (cell.isBlink()) p += ';5';
  if (cell.isInverse()) p += ';7';
  if (cell.isInvisible()) p += ';8';
  if (cell.isStrikethrough()) p += ';9';
  if (cell.isOverline()) p += ';53';
  p += colorParams('fg', cell) + colorParams('bg', cell);
  return `\x1b[${p}m`;
}

/** The remote screen as xterm.js understands it; rows = the remote pty's rows. */
export class ScreenModel implements Disposable {
  /** The headless emulator holding the remote frame. */
  readonly term: XTerminal;
  /** Bytes written but not yet parsed by the emulator (its parser runs asynchronously). */
  private pending = 0;
  /** Output gathered for one batched write: small reads add up to chunks worth condensing. */
  private batch: Buffer[] = [];
  /** Bytes in `batch`. */
  private batchBytes = 0;
  /** Whether the batch may be condensed (decided by the scroll region when it began). */
  private batchCondensable = false;
  /** Called after each parsed write (the UI resumes a paused source from here). */
  onParsed: (() => void) | null = null;
  /** The scheduled batch write. */
  private batchTimer: NodeJS.Timeout | null = null;

  constructor(cols: number, rows: number) {
    this.term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
    // Unicode 11 widths, as today's terminals have them: an emoji takes two cells (xterm.js's
    // default tables give it one, and a repaint from the model shifted the rest of the row)
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = '11';
  }

  /** Bytes queued for the emulator; the UI pauses the remote when this grows large. */
  get backlog(): number {
    return this.pending + this.batchBytes;
  }

  /**
   * Queues remote output, written as one batch after BATCH_MS (or at 256 KiB).
   * `condensable`: the scroll region is the whole screen now, so bulk text may be condensed.
   */
  feed(data: Buffer, condensable: boolean): void {
    if (this.batch.length === 0) this.batchCondensable = condensable;
    this.batch.push(data);
    this.batchBytes += data.length;
    if (this.batchBytes >= 256 * 1024) this.writeBatch();
    else this.batchTimer ??= setTimeout(() => this.writeBatch(), BATCH_MS); // redraws flush() first: no staleness
  }

  /** Writes the queued batch to the emulator now. */
  private writeBatch(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    if (this.batch.length === 0) return;
    const all = this.batch.length === 1 ? (this.batch[0] as Buffer) : Buffer.concat(this.batch);
    const condensable = this.batchCondensable;
    this.batch = [];
    this.batchBytes = 0;
    this.write(condensable ? condenseForModel(all, this.term.rows) : all);
  }

  /** Feeds remote output; `done` runs once it is parsed. */
  write(data: Uint8Array, done?: () => void): void {
    this.pending += data.length;
    this.term.write(data, () => {
      this.pending -= data.length;
      done?.();
      this.onParsed?.();
    });
  }

  /** Calls back when everything fed or written so far is parsed. */
  flush(done: () => void): void {
    this.writeBatch();
    this.term.write('', done);
  }

  resize(cols: number, rows: number): void {
    this.term.resize(cols, rows);
  }

  /** The cursor, 0-based, within the visible rows. */
  cursor(): { x: number; y: number } {
    const b = this.term.buffer.active;
    return { x: b.cursorX, y: b.cursorY };
  }

  /** Plain text of a visible row (for tests and diagnostics). */
  lineText(y: number): string {
    const b = this.term.buffer.active;
    return b.getLine(b.baseY + y)?.translateToString(true) ?? '';
  }

  /**
   * Escape sequences that paint the visible rows [from, to) with their attributes (1-based CUP),
   * ending with the attributes reset; the caller puts the cursor back.
   */
  frameSequence(from = 0, to = this.term.rows): string {
    const b = this.term.buffer.active;
    const cell = b.getNullCell();
    const parts: string[] = [];
    for (let y = from; y < to; y++) {
      parts.push(`\x1b[${y + 1};1H\x1b[0m\x1b[K`);
      const line = b.getLine(b.baseY + y);
      if (line === undefined) continue;
      let last = '\x1b[0m';
      let blanks = 0; // default-attribute spaces not yet written (trailing ones never are)
      for (let x = 0; x < this.term.cols; x++) {
        line.getCell(x, cell);
        const w = cell.getWidth();
        if (w === 0) continue; // second half of a wide char
        const chars = cell.getChars() || ' ';
        const sgr = cellSgr(cell);
        if (chars === ' ' && sgr === '\x1b[0m') {
          blanks++;
          continue;
        }
        if (blanks > 0) {
          if (last !== '\x1b[0m') parts.push('\x1b[0m');
          last = '\x1b[0m';
          parts.push(' '.repeat(blanks));
          blanks = 0;
        }
        if (sgr !== last) parts.push(sgr);
        last = sgr;
        parts.push(chars);
      }
      parts.push('\x1b[0m');
    }
    return parts.join('');
  }

  dispose(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    this.term.dispose();
  }
}
