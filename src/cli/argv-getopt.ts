// OpenSSH's getopt(3): the BSD one from openbsd-compat (no argument permutation, "--" ends options).

/** One step of the scan: an option letter with its argument, or the end of the options. */
export type GetoptStep =
  | { kind: 'option'; letter: string; value?: string }
  | { kind: 'unknown'; letter: string }
  | { kind: 'missing-argument'; letter: string }
  | { kind: 'long'; name: string; value?: string }
  | { kind: 'end'; terminatedByDashes: boolean };

/** Long options (`--name`) the caller accepts in option position; value = takes an argument. */
export type LongOptions = ReadonlyMap<string, boolean>;

/**
 * A resumable scanner over `args` from `index`, exactly as BSD getopt walks argv:
 * stops at the first non-option (a lone "-" included), consumes "--" and stops.
 * Also recognises the caller's `--long` options (tether's own), which BSD getopt would
 * report as "unknown option -- -".
 */
export class Getopt {
  /** Index of the argument being scanned; after 'end', the first non-option. */
  index: number;
  /** Position inside a combined group such as `-tt` (0 = at a new argument). */
  private place = 0;
  /** ssh option tokens consumed so far (options and their separate arguments; not "--", not long options). */
  readonly consumed: string[] = [];
  /** Indices in args of the long options read (and of a long option's separate value): what ssh must not see. */
  readonly longIndices: number[] = [];
  private readonly takesArg: ReadonlyMap<string, boolean>;

  constructor(
    private readonly args: readonly string[],
    optstring: string,
    start: number,
    private readonly longs: LongOptions = new Map(),
  ) {
    this.index = start;
    const m = new Map<string, boolean>();
    for (let i = 0; i < optstring.length; i++) {
      const c = optstring.charAt(i);
      if (c === ':') continue;
      m.set(c, optstring.charAt(i + 1) === ':');
    }
    this.takesArg = m;
  }

  /** The next option, or the end of the options. */
  next(): GetoptStep {
    if (this.place === 0) {
      const arg = this.args[this.index];
      if (arg === undefined || !arg.startsWith('-') || arg === '-') return { kind: 'end', terminatedByDashes: false };
      if (arg === '--') {
        this.index++;
        return { kind: 'end', terminatedByDashes: true };
      }
      if (arg.startsWith('--')) {
        const long = this.long(arg);
        if (long !== undefined) return long;
      }
      this.consumed.push(arg);
      this.place = 1;
    }
    const arg = this.args[this.index] ?? '';
    const letter = arg.charAt(this.place++);
    const atEnd = this.place >= arg.length;
    const takes = letter === ':' || (letter === '-' && !atEnd) ? undefined : this.takesArg.get(letter);
    if (takes === undefined) {
      if (atEnd) this.advance();
      return { kind: 'unknown', letter };
    }
    if (!takes) {
      if (atEnd) this.advance();
      return { kind: 'option', letter };
    }
    if (!atEnd) {
      const value = arg.slice(this.place);
      this.advance();
      return { kind: 'option', letter, value };
    }
    this.advance();
    const value = this.args[this.index];
    if (value === undefined) return { kind: 'missing-argument', letter };
    this.consumed.push(value);
    this.index++;
    return { kind: 'option', letter, value };
  }

  private advance(): void {
    this.index++;
    this.place = 0;
  }

  /** `--name`, `--name=value` or `--name value` when the caller declared `name`. */
  private long(arg: string): GetoptStep | undefined {
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const takes = this.longs.get(name);
    if (takes === undefined) return undefined;
    this.longIndices.push(this.index);
    this.index++;
    if (!takes) return eq < 0 ? { kind: 'long', name } : { kind: 'long', name, value: arg.slice(eq + 1) };
    if (eq >= 0) return { kind: 'long', name, value: arg.slice(eq + 1) };
    const value = this.args[this.index];
    if (value === undefined) return { kind: 'missing-argument', letter: `-${name}` };
    this.longIndices.push(this.index);
    this.index++;
    return { kind: 'long', name, value };
  }
}
