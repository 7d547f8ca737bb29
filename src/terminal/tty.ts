// The local tty: raw mode in, the exact previous state out, on every way the process can end.
import { spawnSync } from 'node:child_process';
import { writeSync } from 'node:fs';
import type { Disposable } from '../common/disposable.js';

/** Output gathered beyond this is written at once rather than at the end of the event-loop turn. */
const GATHER_MAX = 1 << 20;

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
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown; fd?: number };
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
  /**
   * Output gathered during this event-loop turn. One socket read holds many SSH packets of a few
   * KiB each; writing each on its own cost a syscall per packet (77 000 for 256 MiB, against
   * OpenSSH's 4 200), so they go out together once the turn's I/O is handled.
   */
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;
  private gatherTimer: NodeJS.Immediate | null = null;
  /** The stream's last write asked for a drain (a pipe or a slow terminal), until it drains. */
  private needDrain = false;

  /** Called once the stream has drained and write() may go on. */
  private readonly drainListeners = new Set<() => void>();

  constructor(private readonly io: TtyStreams) {}

  /** Calls back when a stream that was behind has drained (write() returned false before). */
  onDrain(cb: () => void): Disposable {
    this.drainListeners.add(cb);
    return { dispose: () => this.drainListeners.delete(cb) };
  }

  /**
   * Output for the terminal, in order; written at the end of this event-loop turn (or at once
   * past GATHER_MAX). false: the stream is behind, the producer should wait for its 'drain'.
   */
  write(data: string | Buffer): boolean {
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (b.length > 0) {
      this.gathered.push(b);
      this.gatheredBytes += b.length;
      if (this.gatheredBytes >= GATHER_MAX) this.flush();
      else this.gatherTimer ??= setImmediate(() => this.flush());
    }
    return !this.needDrain;
  }

  /** Whether the stream asked for a drain and has not drained yet. */
  get blocked(): boolean {
    return this.needDrain;
  }

  /** Bytes handed to write() and not yet given to the stream. */
  get pendingBytes(): number {
    return this.gatheredBytes;
  }

  /** Gives the gathered output to the stream now. */
  flush(): void {
    if (this.gatherTimer) clearImmediate(this.gatherTimer);
    this.gatherTimer = null;
    if (this.gatheredBytes === 0) return;
    const all = this.gathered.length === 1 ? (this.gathered[0] as Buffer) : Buffer.concat(this.gathered, this.gatheredBytes);
    this.gathered = [];
    this.gatheredBytes = 0;
    try {
      const ok = this.io.stdout.write(all);
      // a chunk above the high-water mark reports false even when a tty took it synchronously:
      // only bytes still queued in the stream are a reason to wait
      const queued = (this.io.stdout as { writableLength?: number }).writableLength ?? all.length;
      if (!ok && queued > 0 && !this.needDrain) {
        this.needDrain = true;
        (this.io.stdout as NodeJS.EventEmitter).once('drain', () => {
          this.needDrain = false;
          for (const cb of [...this.drainListeners]) cb();
        });
      }
    } catch {
      // output gone (hang-up)
    }
  }

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
      this.rawOutput();
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
      this.rawOutput();
    }
  }

  /**
   * Output post-processing off (`stty -opost`), as OpenSSH's raw mode has it: Node's raw mode keeps
   * OPOST/ONLCR, so the kernel turned every remote "\r\n" into "\r\r\n" and examined each byte.
   * setRawMode(false) puts back the termios saved before raw mode, OPOST included.
   */
  private rawOutput(): void {
    const fd = this.io.stdin.fd;
    if (typeof fd !== 'number') return;
    spawnSync('stty', ['-opost'], { stdio: [fd, 'ignore', 'ignore'], timeout: 2000 });
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

  /** Synchronous write on a tty (exit handlers cannot wait; tty writes are synchronous anyway), else a stream write; after what write() gathered. */
  writeNow(text: string): void {
    this.flush();
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
    this.flush();
    for (const u of this.undo.splice(0).reverse()) u();
  }
}
