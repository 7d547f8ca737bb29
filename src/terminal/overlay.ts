// The status bar and the panels as blessed elements, composed off-screen.
// Why off-screen: a blessed Screen owns the whole terminal (alt screen, full repaints, its own
// cursor bookkeeping) and cannot share it with pass-through output. So blessed lays out and
// paints the Boxes into its cell buffer (screen.lines), bound to a null output, and we turn just
// those cells into escape sequences (screen.codeAttr) written at absolute positions.
import blessed from 'blessed';
import { PassThrough, Writable } from 'node:stream';
import type { Disposable } from '../common/disposable.js';
import { displayWidth, wrapLines } from './status-text.js';

/** Colours of an element, in blessed's names. */
export interface Colors {
  fg: string;
  bg: string;
}

/** The internals of blessed's Screen we read: its cell buffer and its attribute encoder. */
interface ScreenCells {
  lines: [number, string][][];
  dattr: number;
  codeAttr(attr: number): string;
  alloc(): void;
  _borderStops: Record<number, boolean>;
  program: { cols: number; rows: number };
}

/** A writable that swallows blessed's own terminal output, sized like the real terminal. */
type NullTty = Writable & { columns: number; rows: number; isTTY: boolean };

/** Process events blessed hooks (it would exit(0) on SIGTERM and swallow uncaught errors). */
const BLESSED_HOOKS: readonly string[] = ['uncaughtException', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'exit'];

/** Creates blessed's Screen with nothing reaching the real terminal or stderr, and no process hooks. */
function quietScreen(output: NullTty, input: PassThrough): blessed.Widgets.Screen {
  const saved = { error: console.error, warn: console.warn, log: console.log };
  const hooks = (e: string): ((...a: unknown[]) => void)[] => (process as NodeJS.EventEmitter).listeners(e) as ((...a: unknown[]) => void)[];
  const had = new Map(BLESSED_HOOKS.map((e) => [e, new Set(hooks(e))]));
  console.error = console.warn = console.log = () => undefined; // terminfo compile noise (e.g. Setulc)
  try {
    return blessed.screen({
      input,
      output,
      terminal: 'xterm-256color', // the encoder only: never sent to the real terminal's terminfo
      warnings: false,
      fullUnicode: true,
      autoPadding: true,
      resizeTimeout: 0,
    } as unknown as blessed.Widgets.IScreenOptions);
  } finally {
    Object.assign(console, saved);
    // exit paths belong to LocalTty and the cli, not to an off-screen compositor
    for (const e of BLESSED_HOOKS) {
      for (const l of hooks(e)) if (!had.get(e)?.has(l)) (process as NodeJS.EventEmitter).removeListener(e, l);
    }
  }
}

/** blessed Boxes for the bar and a centred panel, rendered to escape sequences on demand. */
export class Overlay implements Disposable {
  /** The off-screen output blessed writes to (discarded). */
  private readonly out: NullTty;
  /** A dummy input so blessed never touches the real stdin. */
  private readonly input = new PassThrough();
  /** blessed's screen: layout and cell buffer only. */
  private readonly screen: blessed.Widgets.Screen;
  /** The status bar element: the bottom row. */
  private readonly bar: blessed.Widgets.BoxElement;
  /** The last bar painted, by size, colours and text. */
  private barCache: { key: string; seq: string } | null = null;
  /** The outage / info panel element, centred over the remote screen. */
  private readonly panel: blessed.Widgets.BoxElement;
  /** Where the last panel landed (`top,left,width,height`), or '' when none was painted. */
  panelBox = '';

  constructor(cols: number, rows: number) {
    this.out = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { columns: cols, rows, isTTY: true });
    this.screen = quietScreen(this.out, this.input);
    this.bar = blessed.box({ parent: this.screen, bottom: 0, left: 0, height: 1, width: '100%', tags: false });
    this.panel = blessed.box({
      parent: this.screen,
      top: 'center',
      left: 'center',
      width: 10,
      height: 5,
      border: 'line',
      padding: { left: 1, right: 1 },
      tags: false,
    });
  }

  /** Follows the local terminal size. */
  resize(cols: number, rows: number): void {
    this.out.columns = cols;
    this.out.rows = rows;
    const cells = this.cells();
    cells.program.cols = cols;
    cells.program.rows = rows;
    cells.alloc();
  }

  /** Escape sequences that paint the bar's text on the last row (cursor left on that row). */
  barSequence(text: string, colors: Colors): string {
    const key = `${this.out.columns}x${this.out.rows}|${colors.fg}|${colors.bg}|${text}`;
    if (this.barCache?.key === key) return this.barCache.seq; // repainted after many chunks: render once
    const seq = this.renderBar(text, colors);
    this.barCache = { key, seq };
    return seq;
  }

  private renderBar(text: string, colors: Colors): string {
    this.bar.setContent(text);
    this.bar.style = { fg: colors.fg, bg: colors.bg };
    const lp = this.paint(this.bar);
    return lp === null ? '' : this.encode(lp.yi, lp.yl, lp.xi, lp.xl);
  }

  /**
   * Escape sequences that paint a bordered panel centred in the top `areaRows` rows. Lines are wrapped at word
   * boundaries to the width available, never cut; when they do not all fit, lines before the last are left out
   * (the last says which keys to press). Returns '' when the terminal is too small.
   */
  panelSequence(title: string, lines: string[], colors: Colors, areaRows: number): string {
    const cols = this.out.columns;
    const inner = Math.min(cols, 80) - 4; // border and one column of padding each side
    let body = wrapLines(lines, inner);
    const room = areaRows - 2;
    if (body.length > room && room >= 2) body = [...body.slice(0, room - 2), '…', body[body.length - 1] ?? ''];
    const widest = Math.max(displayWidth(title) + 4, ...body.map(displayWidth));
    const width = Math.min(cols, Math.max(30, widest + 4));
    const height = Math.min(areaRows, body.length + 2);
    if (width < 12 || height < 3) {
      this.panelBox = '';
      return '';
    }
    this.panel.width = width;
    this.panel.height = height;
    this.panel.top = Math.max(0, Math.floor((areaRows - height) / 2));
    this.panel.left = Math.floor((cols - width) / 2);
    this.panelBox = `${this.panel.top},${this.panel.left},${width},${height}`;
    this.panel.setLabel(` ${title} `);
    this.panel.setContent(body.join('\n'));
    this.panel.style = { fg: colors.fg, bg: colors.bg, border: { fg: colors.fg, bg: colors.bg }, label: { fg: colors.fg, bg: colors.bg, bold: true } };
    const lp = this.paint(this.panel);
    return lp === null ? '' : this.encode(lp.yi, lp.yl, lp.xi, lp.xl);
  }

  dispose(): void {
    this.screen.destroy();
    this.input.destroy();
  }

  /** blessed's internals, typed. */
  private cells(): ScreenCells {
    return this.screen as unknown as ScreenCells;
  }

  /** Renders one element (and its label) into the cell buffer; returns where it landed. */
  private paint(el: blessed.Widgets.BoxElement): { xi: number; xl: number; yi: number; yl: number } | null {
    const cells = this.cells();
    cells._borderStops = {};
    for (const row of cells.lines) {
      for (const c of row) {
        c[0] = cells.dattr;
        c[1] = ' ';
      }
    }
    el.render();
    for (const child of el.children) (child as blessed.Widgets.BlessedElement).render(); // the label
    const lp = (el as unknown as { lpos?: { xi: number; xl: number; yi: number; yl: number } }).lpos;
    return lp ?? null;
  }

  /** Cells [xi, xl) of rows [yi, yl) as absolute-positioned text with SGR (1-based CUP). */
  private encode(yi: number, yl: number, xi: number, xl: number): string {
    const cells = this.cells();
    let out = '';
    for (let y = yi; y < yl; y++) {
      const line = cells.lines[y];
      if (line === undefined) continue;
      out += `\x1b[${y + 1};${xi + 1}H`;
      let attr = -1;
      for (let x = xi; x < xl && x < line.length; x++) {
        const cell = line[x] as [number, string];
        if (cell[0] !== attr) {
          attr = cell[0];
          out += '\x1b[0m' + (attr === cells.dattr ? '' : cells.codeAttr(attr));
        }
        const ch = cell[1];
        if (displayWidth(ch) === 2) {
          if (x + 1 >= xl) {
            out += ' ';
          } else {
            out += ch;
            x++; // blessed keeps a placeholder cell after a wide char
          }
        } else out += ch === '\0' || ch === '\x03' ? '' : ch;
      }
      out += '\x1b[0m';
    }
    return out;
  }
}
