// Pass-through of remote output that keeps the bottom row for the status bar.
// Why pass-through (not a blessed full-frame render): every byte the remote sends reaches the
// local terminal unchanged (true colour, italics, mouse, bracketed paste, DECCKM, title, bell),
// only sequences that could reach the last row are rewritten, and text without ESC is not copied.

const ESC = 0x1b;
/** Longest control sequence we hold back while waiting for its final byte; longer ones go through raw. */
const MAX_SEQ = 256;

/** Parser states; strings (OSC/DCS/APC/PM/SOS) are streamed through, never held. */
const enum St {
  Ground,
  Esc,
  EscInter,
  Csi,
  Str,
  StrEsc,
}

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
}

/** CSI top;bottom r for the given region. */
function decstbm(top: number, bottom: number): string {
  return `\x1b[${top};${bottom}r`;
}

/** Rewrites remote output so that nothing lands on row `rows + 1` (the local last row). */
export class OutputRewriter {
  /** Parser state between chunks. */
  private st: St = St.Ground;
  /** The bytes of a pending ESC/CSI sequence (short: only these are ever held). */
  private seq: number[] = [];
  /** Kind of the string being streamed (']' for OSC, where BEL ends it). */
  private strKind = 0;
  /** Modes the remote set, for redraws and for the exit cleanup. */
  readonly modes: RemoteModes = { cursorHidden: false, originMode: false, altScreen: false, region: null };

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

  /** Rewrites one chunk of remote output. */
  process(data: Buffer): RewriteResult {
    const chunks: Buffer[] = [];
    let damaged = false;
    let from = 0; // start of bytes not yet emitted
    let i = 0;
    const n = data.length;
    while (i < n) {
      if (this.st === St.Ground) {
        const e = data.indexOf(ESC, i);
        if (e < 0) break;
        if (e > from) chunks.push(data.subarray(from, e));
        from = e;
        i = e + 1;
        this.st = St.Esc;
        this.seq = [ESC];
        continue;
      }
      const b = data[i++] as number;
      if (this.st === St.Str) {
        if (b === ESC) this.st = St.StrEsc;
        else if (b === 0x07 && this.strKind === 0x5d) this.st = St.Ground;
        continue;
      }
      if (this.st === St.StrEsc) {
        this.st = b === 0x5c ? St.Ground : b === ESC ? St.StrEsc : St.Str;
        continue;
      }
      // Esc, EscInter, Csi: bytes are held in seq until the final byte.
      if (b === 0x18 || b === 0x1a) {
        this.st = St.Ground; // CAN/SUB abort; the held bytes go through as they were
        this.seq.push(b);
        from = this.flushHeld(chunks, data, from, i);
        continue;
      }
      if (b === ESC) {
        from = this.flushHeld(chunks, data, from, i - 1);
        this.seq = [ESC];
        this.st = St.Esc;
        continue;
      }
      this.seq.push(b);
      if (this.seq.length > MAX_SEQ) {
        this.st = St.Ground;
        from = this.flushHeld(chunks, data, from, i);
        continue;
      }
      if (this.st === St.Esc) {
        if (b === 0x5b) this.st = St.Csi;
        else if (b === 0x5d || b === 0x50 || b === 0x58 || b === 0x5e || b === 0x5f) {
          this.strKind = b;
          this.st = St.Str;
          from = this.flushHeld(chunks, data, from, i);
        } else if (b >= 0x20 && b <= 0x2f) this.st = St.EscInter;
        else if (b >= 0x30 && b <= 0x7e) {
          this.st = St.Ground;
          if (b === 0x63) {
            // RIS: the terminal resets margins, modes and the screen
            from = this.flushHeld(chunks, data, from, i);
            this.resetModes();
            chunks.push(Buffer.from(this.regionSequence() + '\x1b[H'));
            damaged = true;
          } else from = this.flushHeld(chunks, data, from, i);
        } // C0 controls inside an escape are executed by the terminal: keep holding
      } else if (this.st === St.EscInter) {
        if (b >= 0x30 && b <= 0x7e) {
          this.st = St.Ground;
          from = this.flushHeld(chunks, data, from, i);
        }
      } else if (b >= 0x40 && b <= 0x7e) {
        this.st = St.Ground;
        const r = this.csi(this.seq);
        if (r === null) from = this.flushHeld(chunks, data, from, i);
        else {
          chunks.push(Buffer.from(r.out, 'latin1'));
          damaged ||= r.damaged;
          from = i;
          this.seq = [];
        }
      }
    }
    // In a held state every byte since `from` is in seq, emitted once the sequence completes.
    const held = this.st === St.Esc || this.st === St.EscInter || this.st === St.Csi;
    if (!held && from < n) chunks.push(from === 0 ? data : data.subarray(from));
    return { chunks, barDamaged: damaged };
  }

  /** Emits the held sequence as it was and returns the new emit start. */
  private flushHeld(chunks: Buffer[], data: Buffer, from: number, to: number): number {
    const lenHere = to - from;
    if (this.seq.length > lenHere) chunks.push(Buffer.from(this.seq.slice(0, this.seq.length - lenHere)));
    if (lenHere > 0) chunks.push(data.subarray(from, to));
    this.seq = [];
    return to;
  }

  /** Forgets the remote's modes (RIS, DECSTR). */
  private resetModes(): void {
    this.modes.cursorHidden = false;
    this.modes.originMode = false;
    this.modes.region = null;
    this.modes.altScreen = false;
  }

  /** A complete CSI sequence: the replacement text, or null to pass it through unchanged. */
  private csi(seq: number[]): { out: string; damaged: boolean } | null {
    const final = seq[seq.length - 1] as number;
    const body = String.fromCharCode(...seq.slice(2, -1));
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
      if (final === 0x4a && (p0 === 0 || p0 === 2)) return { out: String.fromCharCode(...seq), damaged: true };
      return null;
    }
    if (prefix === '?' && inter === '' && final === 0x4a && (p0 === 0 || p0 === 2)) {
      return { out: String.fromCharCode(...seq), damaged: true };
    }
    if (prefix === '?' && inter === '' && (final === 0x68 || final === 0x6c)) {
      const on = final === 0x68;
      let alt = false;
      for (const p of params) {
        if (p === 25) this.modes.cursorHidden = !on;
        else if (p === 6) this.modes.originMode = on;
        else if (p === 1049 || p === 1047 || p === 47) {
          this.modes.altScreen = on;
          alt = true;
        }
      }
      if (!alt) return null;
      // some terminals reset margins on a buffer switch: assert ours again, cursor kept
      return { out: `${String.fromCharCode(...seq)}\x1b7${this.regionSequence()}\x1b8`, damaged: true };
    }
    if (prefix === '' && inter === '!' && final === 0x70) {
      // DECSTR: margins back to the full screen
      this.resetModes();
      return { out: `${String.fromCharCode(...seq)}\x1b7${this.regionSequence()}\x1b8`, damaged: false };
    }
    return null;
  }
}
