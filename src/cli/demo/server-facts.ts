// The demo server's own facts (its start, its restarts, its log), answered to tether's evidence scripts as a
// real sshd's would be read: the demo is diagnosed from the server it talks to, never from this machine's sshd.
import { EVIDENCE_BEGIN, EVIDENCE_END } from '../../remote/evidence-script.js';

/** Keys of the fast script that describe the sshd serving the connection: the demo replaces them with its own. */
const SSHD_KEYS = /^(sshd_session_pid|sshd_session_start|sshd_master_pid|sshd_master_start|sshd_master_source)=/;

/** Most log lines kept. */
const MAX_LOG = 50;

/** The embedded server's listener and log; the clock is injected for tests. */
export class DemoSshdFacts {
  /** When the listener (re)started, epoch ms: what `sshd_master_start` reports. */
  private startedAt: number;
  /** False while the demo imitates an sshd restart (between stop and start). */
  private running = true;
  /** The server's journal, epoch ms and line. */
  private readonly journal: { at: number; line: string }[] = [];

  constructor(
    private readonly now: () => number = Date.now,
    /** What `sshd_master_pid` reports: the process that serves the demo. */
    private readonly pid: number = process.pid,
  ) {
    this.startedAt = now();
  }

  /** Whether the listener is up. */
  get listening(): boolean {
    return this.running;
  }

  /** Adds one line to the server's journal (as sshd would log it). */
  log(line: string): void {
    this.journal.push({ at: this.now(), line });
    if (this.journal.length > MAX_LOG) this.journal.shift();
  }

  /** The listener stops (an sshd restart begins). */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.log('Received signal 15; terminating.');
  }

  /** The listener starts again, as a new master: a new start time. */
  start(port: number): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = this.now();
    this.log(`Server listening on 127.0.0.1 port ${port}.`);
  }

  /** The fast script's output (run on this machine) with the sshd lines replaced by the demo server's own. */
  fastAnswer(output: string): string {
    const lines = output.split('\n').filter((l) => !SSHD_KEYS.test(l));
    const own = [`sshd_master_pid=${this.pid}`, 'sshd_master_source=self', `sshd_master_start=${Math.floor(this.startedAt / 1000)}`];
    const end = lines.indexOf(EVIDENCE_END);
    if (end < 0) return lines.join('\n'); // cut short: no end marker, so the facts stay incomplete
    lines.splice(end, 0, ...own);
    return lines.join('\n');
  }

  /** The slow script's answer: no kernel log of its own, and the journal since `sinceEpoch`. */
  slowAnswer(sinceEpoch: number): string {
    const since = this.journal.filter((j) => j.at >= sinceEpoch * 1000);
    const journal =
      since.length === 0
        ? ['journal_status=empty']
        : ['journal_status=ok', ...since.map((j) => `journal=${(j.at / 1000).toFixed(6)} demo sshd[${this.pid}]: ${j.line}`)];
    return [EVIDENCE_BEGIN, 'v=1', 'dmesg_status=missing', ...journal, EVIDENCE_END, ''].join('\n');
  }
}
