// Drives a command in a real pty and reads its screen through @xterm/headless, like a user would.
import * as pty from 'node-pty';
import unicode11 from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import type { Terminal as XTerminal } from '@xterm/headless';

const { Terminal } = xterm;
const { Unicode11Addon } = unicode11;

/** How to start the command. */
export interface PtyDriverOptions {
  cols?: number;
  rows?: number;
  cwd?: string;
  /** Added to a minimal environment (PATH, HOME, TERM=xterm-256color, LANG=C.UTF-8). */
  env?: Record<string, string>;
}

/** Every driver still alive, so a failing test cannot leak a process tree. */
const live = new Set<PtyDriver>();

/** A command in a pty, its screen, and the keys to drive it. */
export class PtyDriver {
  /** The terminal emulator that reads the command's output, sized like the pty. */
  readonly term: XTerminal;
  /** The pty and the process behind it. */
  private readonly proc: pty.IPty;
  /** Everything the command wrote, raw (for failure messages). */
  private raw = '';
  /** Set when the command exited, with its status. */
  exit: { code: number; signal?: number } | null = null;
  /** Set by kill(): no more answers to the command's queries. */
  private killed = false;
  /** Callbacks waiting for more output or the exit. */
  private readonly waiters = new Set<() => void>();

  constructor(file: string, args: string[], opts: PtyDriverOptions = {}) {
    const cols = opts.cols ?? 80;
    const rows = opts.rows ?? 24;
    this.term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
    this.term.loadAddon(new Unicode11Addon()); // character widths as a current terminal has them
    this.term.unicode.activeVersion = '11';
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      ...opts.env,
    };
    this.proc = pty.spawn(file, args, { name: env.TERM ?? 'xterm-256color', cols, rows, cwd: opts.cwd ?? process.cwd(), env });
    this.proc.onData((d) => {
      this.raw += d;
      if (this.raw.length > 1 << 20) this.raw = this.raw.slice(-(1 << 19));
      this.term.write(d, () => this.wake());
    });
    // answers the command's terminal queries (cursor position, device attributes) like a terminal
    this.term.onData((d) => {
      if (!this.exit && !this.killed) this.proc.write(d);
    });
    this.proc.onExit(({ exitCode, signal }) => {
      this.exit = signal ? { code: exitCode, signal } : { code: exitCode };
      this.term.write('', () => this.wake());
    });
    live.add(this);
  }

  /** The pid of the command (the session leader of the pty). */
  get pid(): number {
    return this.proc.pid;
  }

  /** The visible screen, one line per row, trailing spaces trimmed. */
  screenText(): string {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
    return out.join('\n');
  }

  /** Every line of the terminal: the scrollback, then the screen (trailing spaces trimmed). */
  allLines(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < b.length; y++) out.push(b.getLine(y)?.translateToString(true) ?? '');
    return out;
  }

  /** One visible row (0-based; negative counts from the bottom). */
  lineAt(row: number): string {
    const b = this.term.buffer.active;
    const y = row < 0 ? this.term.rows + row : row;
    return b.getLine(b.viewportY + y)?.translateToString(true) ?? '';
  }

  /** The cursor (0-based) on the visible screen. */
  cursor(): { x: number; y: number } {
    const b = this.term.buffer.active;
    return { x: b.cursorX, y: b.cursorY + b.baseY - b.viewportY };
  }

  /** Waits until the screen matches; fails with the screen in the message. */
  async waitForText(re: RegExp, timeoutMs = 10_000): Promise<void> {
    await this.waitFor(() => re.test(this.screenText()), timeoutMs, `screen to match ${re}`);
  }

  /** Waits until a predicate on the driver holds, re-checked after every output. */
  waitFor(pred: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (pred()) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${this.screenText()}\n--- exit: ${JSON.stringify(this.exit)}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Waits for the command to exit and returns its status. */
  async waitForExit(timeoutMs = 10_000): Promise<{ code: number; signal?: number }> {
    await this.waitFor(() => this.exit !== null, timeoutMs, 'exit');
    return this.exit as { code: number; signal?: number };
  }

  /** Types keys (a string as the terminal would send it). */
  write(keys: string): void {
    if (!this.killed) this.proc.write(keys);
  }

  /** Resizes the pty (the command gets SIGWINCH) and the screen reader. */
  resize(cols: number, rows: number): void {
    this.proc.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  /** Everything the command wrote (the last MiB). */
  output(): string {
    return this.raw;
  }

  /** Kills the command's whole process group by PID and frees the screen reader. */
  kill(): void {
    live.delete(this);
    this.killed = true;
    if (!this.exit) {
      for (const target of [-this.proc.pid, this.proc.pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    this.term.dispose();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** Kills every driver still alive (for an `after` hook). */
export function killAllDrivers(): void {
  for (const d of [...live]) d.kill();
}
