// Pass-through of remote output that keeps the bottom row for the status bar.
// Why pass-through (not a blessed full-frame render): every byte the remote sends reaches the
// local terminal unchanged (true colour, italics, mouse, bracketed paste, DECCKM, title, bell),
// only sequences that could reach the last row are rewritten, and text without ESC is not copied.

const ESC = 0x1b;
/** Longest control sequence we hold back while waiting for its final byte; longer ones go through raw. */
const MAX_SEQ = 256;

/** CSI final bytes that may need a rewrite (r H f d J h l p); every other CSI passes untouched. */
const INTERESTING = new Uint8Array(128);
for (const c of 'rHfdJhlp') INTERESTING[c.charCodeAt(0)] = 1;

/** One rewritten chunk, and whether the bar row may have been erased. */
export interface RewriteResult {
  chunks: Buffer[];
  barDamaged: boolean;
}

/** What the remote has set that matters for a redraw; read by the UI, owned by the rewriter. */
export interface RemoteModes {
  cursorHidden: boolean;
  originMode: boolean;
  altScreen: boolean;
  /** The remote's own scroll region (1-based, clamped), or null for the whole remote screen. */
  region: [number, number] | null;
  /** The mouse report encoding the remote chose (1005, 1006, 1015), or 0 for the default. */
  mouseEncoding: number;
}

/** CSI top;bottom r for the given region. */
function decstbm(top: number, bottom: number): string {
  return `\x1b[${top};${bottom}r`;
}

/** Rewrites remote output so that nothing lands on row `rows + 1` (the local last row). */
export class OutputRewriter {
  /** The start of a sequence cut off by the end of the last chunk, parsed again with the next one. */
  private carry: Buffer | null = null;
  /** Inside a string (OSC/DCS/APC/PM/SOS, streamed through): its introducer byte, or 0. */
  private str = 0;
  /** Inside a string, the last byte was ESC (so `\\` ends it). */
  private strEsc = false;
  /** Modes the remote set, for redraws and for the exit cleanup. */
  readonly modes: RemoteModes = { cursorHidden: false, originMode: false, altScreen: false, region: null, mouseEncoding: 0 };

  /** @param rows the remote screen height: local rows minus the status row. */
  constructor(private rows: number) {}

  /** The remote height changed (local resize). */
  setRows(rows: number): void {
    this.rows = rows;
    const r = this.modes.region;
    if (r !== null && r[1] > rows) this.modes.region = null;
  }

  /** The scroll region to assert on the local terminal (homes the cursor, so callers wrap it). */
  regionSequence(): string {
    const r = this.modes.region;
    return r === null ? decstbm(1, this.rows) : decstbm(r[0], r[1]);
  }

  /** Rewrites one chunk of remote output; text without ESC comes back as the same buffer. */
  process(input: Buffer): RewriteResult {
    let data = input;
    if (this.carry !== null) {
      data = Buffer.concat([this.carry, input]);
      this.carry = null;
    }
    const chunks: Buffer[] = [];
    let damaged = false;
    let from = 0; // start of the bytes not yet emitted
    let i = 0;
    const n = data.length;
    const cut = (start: number): RewriteResult => {
      // a sequence runs past the end: hold it (it is short) and emit what came before
      if (start > from) chunks.push(data.subarray(from, start));
      this.carry = Buffer.from(data.subarray(start));
      return { chunks, barDamaged: damaged };
    };
    while (i < n) {
      if (this.str !== 0) {
        i = this.skipString(data, i);
        continue;
      }
      const start = data.indexOf(ESC, i);
      if (start < 0) break;
      let j = start + 1;
      if (j >= n) return cut(start);
      let b = data[j] as number;
      if (b === 0x5b) {
        // CSI: find the final byte without copying anything
        for (j++; j < n; j++) {
          b = data[j] as number;
          if ((b >= 0x40 && b <= 0x7e) || b === ESC || b === 0x18 || b === 0x1a) break;
        }
        if (j - start > MAX_SEQ) {
          i = j; // absurdly long: pass it through as it is
          continue;
        }
        if (j >= n) return cut(start);
        if (b === ESC) {
          i = j; // aborted by a new ESC, parsed next
          continue;
        }
        i = j + 1;
        if (b === 0x18 || b === 0x1a || INTERESTING[b] !== 1) continue;
        if ((b === 0x48 || b === 0x66 || b === 0x64) && this.firstParam(data, start + 2, j) <= this.rows) continue;
        const r = this.csi(data.toString('latin1', start + 2, j), b);
        if (r !== null) {
          if (start > from) chunks.push(data.subarray(from, start));
          chunks.push(Buffer.from(r.out, 'latin1'));
          from = i;
          damaged ||= r.damaged;
        }
        continue;
      }
      if (b === 0x5d || b === 0x50 || b === 0x58 || b === 0x5e || b === 0x5f) {
        this.str = b;
        this.strEsc = false;
        i = j + 1;
        continue;
      }
      if (b >= 0x20 && b <= 0x2f) {
        while (j < n && (data[j] as number) >= 0x20 && (data[j] as number) <= 0x2f) j++;
        if (j >= n) return cut(start);
        i = j + 1; // ESC, intermediates, final: charset designations and the like pass
        continue;
      }
      i = j + 1;
      if (b === 0x63) {
        // RIS: the terminal resets margins, modes and the screen; fence the bar row off again
        chunks.push(data.subarray(from, i));
        from = i;
        this.resetModes();
        chunks.push(Buffer.from(this.regionSequence() + '\x1b[H'));
        damaged = true;
      }
    }
    if (from < n) chunks.push(from === 0 ? data : data.subarray(from));
    // with a region of its own, text the remote writes below it can wrap onto our row: repaint
    if (this.modes.region !== null && this.modes.region[1] < this.rows) damaged = true;
    return { chunks, barDamaged: damaged };
  }

  /** The first numeric parameter of a CSI, read in place (cursor moves are the hot path); -1 if private. */
  private firstParam(data: Buffer, from: number, to: number): number {
    let v = 0;
    for (let k = from; k < to; k++) {
      const c = data[k] as number;
      if (c >= 0x30 && c <= 0x39) v = v * 10 + c - 0x30;
      else if (c === 0x3b || c === 0x3a) return v;
      else return k === from ? Number.MAX_SAFE_INTEGER : v; // a private marker: let the full parser decide
    }
    return v;
  }

  /** Streams through a string's bytes; returns where its terminator ended (or the chunk end). */
  private skipString(data: Buffer, i: number): number {
    const n = data.length;
    for (; i < n; i++) {
      const b = data[i] as number;
      if (this.strEsc) {
        this.strEsc = b === ESC;
        if (b === 0x5c) {
          this.str = 0;
          return i + 1;
        }
      } else if (b === ESC) this.strEsc = true;
      else if (b === 0x07 && this.str === 0x5d) {
        this.str = 0;
        return i + 1;
      }
    }
    return n;
  }

  /** Forgets the remote's modes (RIS, DECSTR). */
  private resetModes(): void {
    this.modes.cursorHidden = false;
    this.modes.originMode = false;
    this.modes.region = null;
    this.modes.altScreen = false;
    this.modes.mouseEncoding = 0;
  }

  /** A complete CSI sequence (its body between `ESC [` and the final): the replacement, or null. */
  private csi(body: string, final: number): { out: string; damaged: boolean } | null {
    const whole = (): string => `\x1b[${body}${String.fromCharCode(final)}`;
    const m = /^([<=>?]?)([0-9;:]*)([ -/]*)$/.exec(body);
    if (m === null) return null;
    const [, prefix, paramText, inter] = m as unknown as [string, string, string, string];
    const params = paramText === '' ? [] : paramText.split(';').map((p) => (p === '' ? 0 : parseInt(p, 10) || 0));
    const p0 = params[0] ?? 0;
    const rows = this.rows;
    if (prefix === '' && inter === '') {
      if (final === 0x72) {
        // DECSTBM: never let the region reach the status row
        const top = Math.max(1, p0);
        const bottom = Math.min(rows, params[1] === undefined || params[1] === 0 ? rows : params[1]);
        this.modes.region = top < bottom && !(top === 1 && bottom === rows) ? [top, bottom] : null;
        return { out: decstbm(top, bottom), damaged: false };
      }
      if ((final === 0x48 || final === 0x66) && p0 > rows) {
        const col = params.length > 1 ? `;${params.slice(1).join(';')}` : '';
        return { out: `\x1b[${rows}${col}${String.fromCharCode(final)}`, damaged: false };
      }
      if (final === 0x64 && p0 > rows) return { out: `\x1b[${rows}d`, damaged: false };
      if (final === 0x4a && (p0 === 0 || p0 === 2)) return { out: whole(), damaged: true };
      return null;
    }
    if (prefix === '?' && inter === '' && final === 0x4a && (p0 === 0 || p0 === 2)) {
      return { out: whole(), damaged: true };
    }
    if (prefix === '?' && inter === '' && (final === 0x68 || final === 0x6c)) {
      const on = final === 0x68;
      let alt = false;
      for (const p of params) {
        if (p === 25) this.modes.cursorHidden = !on;
        else if (p === 1005 || p === 1006 || p === 1015) this.modes.mouseEncoding = on ? p : 0;
        else if (p === 6) this.modes.originMode = on;
        else if (p === 1049 || p === 1047 || p === 47) {
          this.modes.altScreen = on;
          alt = true;
        }
      }
      if (!alt) return null;
      // some terminals reset margins on a buffer switch: assert ours again, cursor kept
      return { out: `${whole()}\x1b7${this.regionSequence()}\x1b8`, damaged: true };
    }
    if (prefix === '' && inter === '!' && final === 0x70) {
      // DECSTR: margins back to the full screen
      this.resetModes();
      return { out: `${whole()}\x1b7${this.regionSequence()}\x1b8`, damaged: false };
    }
    return null;
  }
}
