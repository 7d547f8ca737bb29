// The session's terminal side: keys in (sent or held), escape actions, resize and backpressure. The bar, the outage
// panel and the flashes are not here: the terminal gets them as a subscriber of the event port (cli/ui-outlet.ts).
import type { Disposable } from '../common/disposable.js';
import type { HeldInput, LivenessEstimator, SessionEvent, SessionStatus } from '../recovery/index.js';
import { NO_TMUX_NOTICE } from '../remote/tmux-command.js';
import { escapeHelp, parseEscapeChar } from '../terminal/escape.js';
import { withoutReplies } from '../terminal/replies.js';
import type { UIAction } from '../terminal/ui.js';
import type { HealingOptions } from './options.js';
import type { InteractiveChannel, ShellSink } from './remote-shell.js';
import type { ResetHistory } from './reset-history.js';

/** What the terminal side needs from its session. */
export interface SessionUiDeps extends Pick<HealingOptions, 'ui' | 'config' | 'clock' | 'stderr' | 'quiet' | 'onOutput'> {
  held: HeldInput;
  history: Pick<ResetHistory, 'lastDiagnosis'>;
  liveness: () => LivenessEstimator;
  /** The machine's status of the current state. */
  status: (now: number) => SessionStatus;
  /** The interactive channel now, if any. */
  shell: () => InteractiveChannel | undefined;
  /** tmux answers the programs' terminal queries itself (control mode): the local terminal's replies would be a second answer. */
  dropReplies: () => boolean;
  dispatch: (e: SessionEvent) => void;
  reschedule: () => void;
  /** The user asked to disconnect (~.). */
  disconnect: () => void;
}

/** Connects the terminal UI to the session; dispose() ends the subscriptions. */
export class SessionUi implements Disposable {
  private readonly subs: Disposable[] = [];
  /** Resumes a shell paused by terminal backpressure. */
  private resumeShell: (() => void) | undefined;
  private noTmuxSaid = false;

  constructor(private readonly d: SessionUiDeps) {}

  /** Subscribes to keys, escape actions, resizes and the terminal's drain. */
  wire(): void {
    const { ui } = this.d;
    this.subs.push(
      ui.onInput((bytes) => this.typed(bytes)),
      ui.onAction((a) => this.action(a)),
      ui.onResize((rows, cols) => this.d.shell()?.resize(rows, cols)),
      ui.onDrain(() => {
        const r = this.resumeShell;
        this.resumeShell = undefined;
        r?.();
      }),
    );
  }

  /** Where a shell's output goes: the terminal, paused until it drains. */
  sink(): ShellSink {
    return {
      write: (d) => {
        this.d.onOutput?.(d.length);
        return this.d.ui.writeRemote(d);
      },
      onDrain: (fn) => {
        this.resumeShell = fn;
      },
    };
  }

  /** Says once that the server's tmux cannot run the invisible session, so tmux is seen (status line, prefix key). */
  sayOldTmux(version: string): void {
    if (this.d.quiet) return;
    this.d.stderr.write(`tether: ${version} on this server lacks control mode features (tmux >= 3.2 with GNU split and tail); its tmux is shown as it draws itself\r\n`);
  }

  /** Says once that tmux is missing, so the shell will not survive a reset. */
  sayNoTmux(): void {
    if (this.noTmuxSaid) return;
    this.noTmuxSaid = true;
    this.d.stderr.write(`${NO_TMUX_NOTICE}\r\n`);
  }

  dispose(): void {
    for (const s of this.subs.splice(0)) s.dispose();
  }

  /** Keys: to the shell, or held while the link is not usable. */
  private typed(bytes: Buffer): void {
    const { d } = this;
    const now = d.clock.mono();
    const shell = d.shell();
    if (d.status(now).holdInput || !shell) {
      d.held.push(withoutReplies(bytes)); // a reply answered the old link's tmux; the new one asks again (the port says so)
      return;
    }
    const keys = d.dropReplies() ? Buffer.from(withoutReplies(bytes)) : bytes;
    if (keys.length === 0) return;
    shell.write(keys);
    d.liveness().onUserInput(now);
    d.reschedule();
  }

  private action(a: UIAction): void {
    const { d } = this;
    const { ui } = d;
    switch (a.type) {
      case 'disconnect':
        d.disconnect();
        break;
      case 'reconnect':
        d.dispatch({ type: 'user-retry-now' });
        break;
      case 'help': {
        const ch = d.config.escapeChar === 'none' ? null : parseEscapeChar(d.config.escapeChar);
        ui.showInfo('tether escapes', (ch === null ? a.text : escapeHelp(ch)).split('\r\n'));
        break;
      }
      case 'show-diagnosis': {
        const diag = d.history.lastDiagnosis;
        ui.showInfo('last diagnosis', diag ? [`cause: ${diag.cause} (confidence ${diag.confidence.toFixed(2)})`, ...diag.evidence.map((e) => `• ${e}`), ...diag.advice.map((e) => `→ ${e}`)] : ['no reset yet in this session']);
        break;
      }
      case 'unsupported':
        ui.flash(a.message, 4000);
        break;
      case 'toggle-bar':
        break;
    }
  }
}
