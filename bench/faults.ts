// The faults of the healing benchmark: each one applied at t0 and undone a few seconds after every client noticed.
import type { Lab } from '../test/lab/index.js';

/** One fault, as the lab injects it. */
export interface BenchFault {
  /** Table id suffix and label. */
  readonly id: 'blackhole' | 'rst' | 'drop' | 'link-down' | 'sshd-restart';
  /** What happens, for the table title. */
  readonly title: string;
  readonly apply: (lab: Lab) => Promise<void>;
  readonly undo: (lab: Lab) => Promise<void>;
  /** Whether mosh is affected (its UDP session does not use port 22 or sshd once started). */
  readonly mosh: boolean;
}

/** Every fault of issue 15's list, in the order they run. */
export const FAULTS: readonly BenchFault[] = [
  { id: 'blackhole', title: 'path blackholed (everything dropped, ICMP too)', apply: (l) => l.blackhole(), undo: (l) => l.restorePath(), mosh: true },
  { id: 'rst', title: 'firewall rejects port 22 with TCP RST', apply: (l) => l.blockPort('rst'), undo: (l) => l.unblockPort(), mosh: false },
  { id: 'drop', title: 'firewall drops port 22', apply: (l) => l.blockPort('drop'), undo: (l) => l.unblockPort(), mosh: false },
  { id: 'link-down', title: 'the client\'s network interface goes down', apply: (l) => l.linkDown(), undo: (l) => l.linkUp(), mosh: true },
  {
    id: 'sshd-restart',
    title: 'sshd killed (master and sessions; tmux lives on), then started again',
    apply: (l) => l.killSshdAll(),
    undo: async (l) => {
      await l.startSshd();
    },
    mosh: false,
  },
];
