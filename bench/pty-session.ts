// One interactive client in a real pty with timestamped output: raw matchers (exact byte timing) and screen
// matchers (through @xterm/headless, which also answers the client's terminal queries like a real terminal).
import * as pty from 'node-pty';
import xterm from '@xterm/headless';
import type { Terminal as XTerminal } from '@xterm/headless';

const { Terminal } = xterm;

/** A pending wait for output: resolves with the time (Date.now() ms, fractional) it was first seen. */
interface Watch {
  readonly test: (rawTail: string, screen: () => string) => boolean;
  readonly resolve: (at: number) => void;
  readonly screen: boolean;
}

/** Wall-clock milliseconds with sub-millisecond resolution (same clock as Date.now and the trace's ISO times). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** A client process in a pty, its output with arrival times, and the keys to drive it. */
export class PtySession {
  /** The screen model; fed unless `feedScreen` is false (bulk streaming). */
  readonly term: XTerminal;
  /** Whether output is parsed into the screen model (off while streaming, so the reader only drains). */
  feedScreen = true;
  /** Total bytes read from the pty. */
  bytes = 0;
  /** The last few KiB of raw output, for raw matchers. */
  private tail = '';
  /** The process behind the pty. */
  private readonly proc: pty.IPty;
  /** Set when the process exited. */
  exitedAt: number | null = null;
  /** Waits in progress. */
  private readonly watches = new Set<Watch>();
  /** Raw-output listeners (latency measurements). */
  private readonly listeners = new Set<(data: string, at: number) => void>();

  constructor(readonly label: string, file: string, args: string[], env: Record<string, string>, cols = 100, rows = 30) {
    this.term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 200 });
    this.proc = pty.spawn(file, args, { name: 'xterm-256color', cols, rows, cwd: '/', env });
    this.proc.onData((d) => {
      const at = nowMs();
      this.bytes += d.length;
      this.tail = (this.tail + d).slice(-4096);
      for (const l of this.listeners) l(d, at);
      this.check(false, at);
      if (this.feedScreen) this.term.write(d, () => this.check(true, nowMs()));
    });
    this.term.onData((d) => {
      if (this.exitedAt === null) this.proc.write(d);
    });
    this.proc.onExit(() => {
      this.exitedAt = nowMs();
      this.check(true, this.exitedAt);
    });
  }

  /** The pid of the pty's child (ip netns exec and env exec, so it is the client itself). */
  get pid(): number {
    return this.proc.pid;
  }

  /** The visible screen as text. */
  screenText(): string {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
    return out.join('\n');
  }

  /** Types keys. */
  write(keys: string): void {
    if (this.exitedAt === null) this.proc.write(keys);
  }

  /** Adds a raw output listener; returns its remover. */
  onRaw(fn: (data: string, at: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Resolves with the time the screen (or the raw tail when `raw`) first matches `re`, or null after timeoutMs. */
  waitFor(re: RegExp, timeoutMs: number, opts: { raw?: boolean } = {}): Promise<number | null> {
    return this.waitWhen((tail, screen) => re.test(opts.raw === true ? tail : screen()), timeoutMs, opts.raw !== true);
  }

  /** Resolves with the time the process exited, or null after timeoutMs. */
  waitForExit(timeoutMs: number): Promise<number | null> {
    return this.waitWhen(() => this.exitedAt !== null, timeoutMs, true).then((at) => (at === null ? null : this.exitedAt));
  }

  private waitWhen(test: Watch['test'], timeoutMs: number, screen: boolean): Promise<number | null> {
    return new Promise((resolve) => {
      const w: Watch = {
        test,
        screen,
        resolve: (at) => {
          clearTimeout(timer);
          this.watches.delete(w);
          resolve(at);
        },
      };
      const timer = setTimeout(() => {
        this.watches.delete(w);
        resolve(null);
      }, timeoutMs);
      this.watches.add(w);
      if (test(this.tail, () => this.screenText())) w.resolve(nowMs());
    });
  }

  private check(screenPass: boolean, at: number): void {
    let text: string | undefined;
    const screen = (): string => (text ??= this.screenText());
    for (const w of [...this.watches]) if (w.screen === screenPass && w.test(this.tail, screen)) w.resolve(at);
  }

  /** Kills the client's process group and the process by PID; frees the screen model. Idempotent. */
  kill(): void {
    if (this.exitedAt === null) {
      for (const target of [-this.proc.pid, this.proc.pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    for (const w of [...this.watches]) w.resolve(Number.NaN);
    this.watches.clear();
    this.term.dispose();
  }
}
