// One tmux control-mode client over an exec channel: commands written as lines, their reply blocks matched in order.
import { TetherError } from '../common/errors.js';
import { ControlParser } from '../remote/tmux-control.js';
import type { ControlEvent } from '../remote/tmux-control.js';
import type { RemoteSession } from '../transport/session.js';

/** A command's reply: its output lines, or the error tmux gave. */
export interface ControlReply {
  ok: boolean;
  lines: string[];
}

/** A command line waiting for its replies (one block per command of the line). */
interface Pending {
  blocks: number;
  replies: ControlReply[];
  resolve: (r: ControlReply[]) => void;
  reject: (e: Error) => void;
}

/** Sends commands, matches replies, passes the other events on. */
export class ControlClient {
  private readonly parser = new ControlParser();
  /** Lines sent whose replies have not all come, oldest first (tmux answers in order). */
  private readonly pending: Pending[] = [];
  private closed = false;

  constructor(
    readonly channel: RemoteSession,
    /** Notifications (exit, subscriptions, …); replies never reach it. */
    private readonly onEvent: (e: ControlEvent) => void,
  ) {
    channel.stdout.on('data', (d: Buffer) => {
      for (const e of this.parser.feed(d)) this.event(e);
    });
    void channel.exit.then(() => this.close());
  }

  /** Writes one command line of `blocks` commands (`a ; b` is two); resolves with their replies. */
  send(line: string, blocks = 1): Promise<ControlReply[]> {
    if (this.closed) return Promise.reject(new TetherError('remote', 'tmux control channel closed', { fatal: false }));
    return new Promise((resolve, reject) => {
      this.pending.push({ blocks, replies: [], resolve, reject });
      this.channel.stdin.write(`${line}\n`);
    });
  }

  dispose(): void {
    this.close();
    this.channel.dispose();
  }

  private event(e: ControlEvent): void {
    if (e.type !== 'reply' || !e.fromClient) {
      this.onEvent(e);
      return;
    }
    const p = this.pending[0];
    if (!p) return;
    p.replies.push({ ok: e.ok, lines: e.lines });
    if (p.replies.length < p.blocks) return;
    this.pending.shift();
    p.resolve(p.replies);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    const err = new TetherError('remote', 'tmux control channel closed', { fatal: false });
    for (const p of this.pending.splice(0)) p.reject(err);
  }
}
