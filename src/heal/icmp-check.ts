// One ICMP echo to the host at a time while an outage lasts; its answer is a fact for the outage record.
import { execFile } from 'node:child_process';
import type { OutageFact } from '../recovery/index.js';

/** Runs `ping -n -c1 -W1 host` when asked (if the tool exists) and reports how it ended. */
export class IcmpCheck {
  private running = false;

  constructor(
    private readonly hostname: string,
    /** Whether an answer would still say something (see wantsIcmp). */
    private readonly wanted: () => boolean,
    private readonly report: (fact: OutageFact) => void,
  ) {}

  /** Sends one ping, sent at `sentAt` (wall ms), unless one is out or the outage needs none. */
  check(sentAt: number): void {
    if (this.running || !this.wanted()) return;
    this.running = true;
    execFile('ping', ['-n', '-c', '1', '-W', '1', this.hostname], { timeout: 3000 }, (err) => {
      this.running = false;
      // exit status 0: answered; 1: no reply; anything else (no ping tool, no permission): nothing learned
      const status = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      this.report({ kind: 'icmp', sentAt, status });
    });
  }
}
