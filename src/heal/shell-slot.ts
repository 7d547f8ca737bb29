// The session's one interactive channel: the link it runs on, and when its end is the user's exit.
import type { HeldInput } from '../recovery/index.js';
import type { Link } from '../transport/link.js';
import { openControlShell } from './control-shell.js';
import type { ControlShellEvents, PaneState } from './control-shell.js';
import { openRemoteShell } from './remote-shell.js';
import type { InteractiveChannel, RemoteShell, ShellSink, ShellSpec } from './remote-shell.js';

/** The interactive channel and the link it runs on. */
export interface ShellOnLink {
  session: InteractiveChannel;
  linkId: number;
  /** Resolves at the first output byte (tmux attached and reading input). */
  ready: Promise<void>;
}

/** What the slot needs from its session. */
export interface ShellSlotDeps {
  spec: ShellSpec;
  /** Where a new shell's output goes. */
  sink: () => ShellSink;
  /** Whether the link with that id is still held and open. */
  linkOpen: (linkId: number) => boolean;
  /** The shell ended with a status on a live link: the user's exit, with that code. */
  onExit: (code: number, message?: string) => void;
  /** The invisible session's pane state (control mode), or undefined for a pty channel. */
  pane: () => PaneState | undefined;
  control: ControlShellEvents;
}

/** Holds at most one shell; a shell replaced or closed never reports its end. */
export class ShellSlot {
  private shell: ShellOnLink | undefined;

  constructor(private readonly d: ShellSlotDeps) {}

  /** The shell now, if any. */
  get current(): ShellOnLink | undefined {
    return this.shell;
  }

  /** Opens the shell on a link, sized rows × cols, and makes it the current one. */
  async open(link: Link, linkId: number, size: { rows: number; cols: number }): Promise<ShellOnLink> {
    const pane = this.d.pane();
    const opened: RemoteShell = pane
      ? await openControlShell(link, this.d.spec, size, this.d.sink(), pane, this.d.control)
      : await openRemoteShell(link, this.d.spec, size, this.d.sink());
    const shell = { ...opened, linkId };
    this.shell = shell;
    this.watch(shell);
    return shell;
  }

  /** Closes the current shell, if any. */
  close(): void {
    if (this.shell) this.shell.session.dispose();
    this.shell = undefined;
  }

  /** Closes the current shell if it runs on that link. */
  closeOn(linkId: number): void {
    if (this.shell?.linkId === linkId) this.close();
  }

  /** Writes the held keys once the shell on that link has drawn. */
  flushWhenReady(linkId: number, held: HeldInput): void {
    const shell = this.shell;
    if (shell?.linkId !== linkId || held.status().bytes === 0) return;
    // after tmux has drawn: input that arrives while its client attaches can be flushed away
    void shell.ready.then(() => {
      const bytes = held.flush();
      if (bytes.length > 0 && this.shell === shell) shell.session.write(Buffer.from(bytes));
    });
  }

  private watch(shell: ShellOnLink): void {
    void shell.session.exit.then((exit) => {
      if (this.shell !== shell) return;
      // a channel that ends without a status on a dying link is the link's failure, not the user's exit
      setTimeout(() => {
        if (this.shell !== shell || !this.d.linkOpen(shell.linkId)) return;
        if (exit.code === undefined && exit.signal === undefined) return;
        this.d.onExit(exit.code ?? 255, exit.message);
      }, 150);
    });
  }
}
