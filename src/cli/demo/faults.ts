// The demo's rotating faults: every few seconds the link breaks a different way, then the fault ends on its own.

/** What a fault step may do to the demo world. */
export interface FaultTarget {
  /** RST on every relayed connection. */
  reset(): void;
  /** Start a lasting fault at the relay (see ProxyFault). */
  inject(fault: 'blackhole' | 'refuse' | 'close-before-banner'): void;
  /** End the relay's lasting fault (and start the SSH server again if it was stopped). */
  heal(): void;
  /** The SSH server stops: every connection ends, the listener is down until heal() (a restarting sshd). */
  stopServer(): void;
}

/** One fault in the rotation: what it imitates, and how to start it; it returns how long it lasts (ms). */
export interface FaultStep {
  readonly name: string;
  /** What a real network or server would have done, in a few words. */
  readonly imitates: string;
  start(t: FaultTarget): number;
}

/** The rotation, in order: each is shown within the first few breaks, the most common first. */
export const DEMO_FAULTS: readonly FaultStep[] = [
  {
    name: 'reset',
    imitates: 'a firewall sends TCP RST',
    start: (t) => {
      t.reset();
      return 0;
    },
  },
  {
    name: 'blackhole',
    imitates: 'packets vanish for 5 s (Wi-Fi, VPN, path loss)',
    start: (t) => {
      t.inject('blackhole');
      return 5000;
    },
  },
  {
    name: 'sshd-restart',
    imitates: 'sshd restarts: connections dropped, port closed for 4 s',
    start: (t) => {
      t.inject('refuse');
      t.stopServer();
      return 4000;
    },
  },
  {
    name: 'max-startups',
    imitates: 'a firewall RST, then sshd closes new connections before its banner for 3 s (MaxStartups)',
    start: (t) => {
      t.inject('close-before-banner');
      t.reset();
      return 3000;
    },
  },
];

/** Timers, injected so the schedule is tested without waiting. */
export interface FaultTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The least time the link is up between two faults, whatever `--every` says. */
export const MIN_UP_MS = 2000;

/** Breaks the link every `everyMs` (from one break's start to the next), cycling through `steps`. */
export class FaultSchedule {
  /** The pending timer (next break or the end of the current fault). */
  private handle: unknown;
  /** Index of the next step. */
  private next = 0;
  /** Set by stop(): no timer is armed again. */
  private stopped = false;

  constructor(
    private readonly target: FaultTarget,
    private readonly everyMs: number,
    private readonly timers: FaultTimers,
    private readonly steps: readonly FaultStep[] = DEMO_FAULTS,
    private readonly onStep: (step: FaultStep) => void = () => undefined,
  ) {}

  /** Arms the first break. */
  start(): void {
    if (this.everyMs > 0 && this.steps.length > 0) this.arm(this.everyMs, () => this.fire());
  }

  /** Ends the rotation and any lasting fault. */
  stop(): void {
    this.stopped = true;
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
    this.target.heal();
  }

  private fire(): void {
    const step = this.steps[this.next % this.steps.length];
    this.next++;
    if (!step) return;
    this.onStep(step);
    const lasts = step.start(this.target);
    // breaks start every `everyMs`, but the link gets at least MIN_UP_MS between the end of one and the next
    const gap = Math.max(this.everyMs, lasts + MIN_UP_MS);
    if (lasts > 0) {
      this.arm(lasts, () => {
        this.target.heal();
        this.arm(gap - lasts, () => this.fire());
      });
    } else this.arm(gap, () => this.fire());
  }

  private arm(ms: number, fn: () => void): void {
    if (this.stopped) return;
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      fn();
    }, ms);
  }
}
