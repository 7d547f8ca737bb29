// The local tty: raw mode in, the exact previous state out, on every way the process can end.
import { writeSync } from 'node:fs';
import type { Disposable } from '../common/disposable.js';

/** Signals that end the process by default: we restore the terminal, then die of the same signal. */
const FATAL_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT'];

/**
 * What a remote program may have left switched on, switched off again on the way out:
 * mouse reporting (all encodings), focus events, bracketed paste, application cursor keys and
 * keypad, hidden cursor, attributes, line-drawing charset; the scroll region is reset around a
 * cursor save/restore.
 */
export const RESET_MODES =
  '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1005l\x1b[?1006l\x1b[?1015l\x1b[?1004l' +
  '\x1b[?2004l\x1b[?1l\x1b>\x1b[?25h\x1b[0m\x1b7\x1b[r\x1b8\x1b(B\x0f';

/** The streams the UI runs on: process.stdin/stdout in the cli, pipes or ptys in tests. */
export interface TtyStreams {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number; fd?: number };
}

/** Raw mode, size and resize events, and a restore that runs exactly once whatever happens. */
export class LocalTty implements Disposable {
  /** Whether we switched stdin to raw mode (and so must switch it back). */
  private rawSet = false;
  /** Text to write on restore, built by the UI (leave alt screen, clear the bar row, ...). */
  private restoreText: () => string = () => RESET_MODES;
  /** Set once restored: restore is idempotent. */
  private restored = false;
  /** Process and stream listeners to remove on dispose. */
  private readonly undo: (() => void)[] = [];

  constructor(private readonly io: TtyStreams) {}

  /** Whether the input is a terminal (otherwise no raw mode, no bar: plain pass-through). */
  get interactive(): boolean {
    return this.io.stdin.isTTY === true && typeof this.io.stdin.setRawMode === 'function';
  }

  /** The local size; 80×24 when the output is not a terminal. */
  size(): { rows: number; cols: number } {
    const { rows, columns } = this.io.stdout;
    return { rows: rows && rows > 0 ? rows : 24, cols: columns && columns > 0 ? columns : 80 };
  }

  /** Enters raw mode (when a tty) and arms the restore on every exit path. */
  enter(restoreText?: () => string): void {
    if (restoreText) this.restoreText = restoreText;
    if (this.interactive && !this.rawSet) {
      this.io.stdin.setRawMode?.(true);
      this.rawSet = true;
    }
    const onExit = (): void => this.restore();
    process.on('exit', onExit); // also runs after an uncaught exception ends the process
    this.undo.push(() => process.removeListener('exit', onExit));
    for (const sig of FATAL_SIGNALS) {
      const onSig = (): void => {
        this.restore();
        // if the cli listens too, it decides how to end; alone, we die of the same signal
        if (process.listeners(sig).some((l) => l !== onSig)) return;
        this.dispose();
        process.kill(process.pid, sig); // no listener left: the default action, the right exit status
      };
      process.on(sig, onSig);
      this.undo.push(() => process.removeListener(sig, onSig));
    }
  }

  /** Calls back with the new local size on SIGWINCH. */
  onResize(cb: (rows: number, cols: number) => void): Disposable {
    const out = this.io.stdout as NodeJS.WritableStream & NodeJS.EventEmitter;
    const h = (): void => {
      const s = this.size();
      cb(s.rows, s.cols);
    };
    out.on('resize', h);
    const d = { dispose: () => out.removeListener('resize', h) };
    this.undo.push(d.dispose);
    return d;
  }

  /** Leaves raw mode for a while (`~^Z`): the shell we return to gets a sane terminal. */
  pauseRaw(): void {
    if (this.rawSet && !this.restored) {
      this.io.stdin.setRawMode?.(false);
      this.rawSet = false;
    }
  }

  /** Raw mode again after a pause (SIGCONT). */
  resumeRaw(): void {
    if (!this.rawSet && !this.restored && this.interactive) {
      this.io.stdin.setRawMode?.(true);
      this.rawSet = true;
    }
  }

  /** Writes the cleanup text synchronously and leaves raw mode; safe to call from 'exit'. */
  restore(): void {
    if (this.restored) return;
    this.restored = true;
    let text = RESET_MODES;
    try {
      text = this.restoreText();
    } catch {
      // a broken UI must not keep the terminal raw
    }
    this.writeNow(text);
    if (this.rawSet) {
      try {
        this.io.stdin.setRawMode?.(false); // libuv restores the termios saved when raw mode began
      } catch {
        // stdin already closed
      }
      this.rawSet = false;
    }
  }

  /** Synchronous write on a tty (exit handlers cannot wait; tty writes are synchronous anyway), else a stream write. */
  writeNow(text: string): void {
    const fd = this.io.stdout.fd;
    try {
      if (typeof fd === 'number' && this.io.stdout.isTTY === true) writeSync(fd, text);
      else this.io.stdout.write(text);
    } catch {
      // output gone (hang-up): nothing to restore on it
    }
  }

  dispose(): void {
    this.restore();
    for (const u of this.undo.splice(0).reverse()) u();
  }
}
