// The session's terminal side: keys in (sent or held), escape actions, resize and backpressure, the status bar.
import type { Disposable } from '../../common/disposable.js';
import type { HeldInput, LivenessEstimator, SessionEvent, SessionState, SessionStatus } from '../../recovery/index.js';
import { NO_TMUX_NOTICE } from '../../remote/tmux-command.js';
import { escapeHelp, parseEscapeChar } from '../../terminal/escape.js';
import { withoutReplies } from '../../terminal/replies.js';
import type { UIAction } from '../../terminal/ui.js';
import type { HealingOptions } from './options.js';
import type { OutageTracker } from './outage-tracker.js';
import type { InteractiveChannel, ShellSink } from './remote-shell.js';
import type { ResetHistory } from './reset-history.js';
import { outageInfo, statusSnapshot } from './status.js';

/** What the terminal side needs from its session. */
export interface SessionUiDeps extends Pick<HealingOptions, 'ui' | 'config' | 'clock' | 'stderr' | 'quiet'> {
  held: HeldInput;
  outage: OutageTracker;
  history: Pick<ResetHistory, 'lastDiagnosis' | 'resetsToday'>;
  liveness: () => LivenessEstimator;
  state: () => SessionState;
  /** The machine's status of the current state. */
  status: (now: number) => SessionStatus;
  /** The interactive channel now, if any. */
  shell: () => InteractiveChannel | undefined;
  /** tmux answers the programs' terminal queries itself (control mode): the local terminal's replies would be a second answer. */
  dropReplies: () => boolean;
  /** Whether the session still runs (nothing is shown after the end). */
  running: () => boolean;
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
  /** The last snapshot given to the bar, serialized. */
  private lastStatusKey = '';

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
      write: (d) => this.d.ui.writeRemote(d),
      onDrain: (fn) => {
        this.resumeShell = fn;
      },
    };
  }

  /** Repaints the bar when what it shows changed, and shows or hides the outage panel. */
  pushStatus(): void {
    const { d } = this;
    if (!d.running()) return;
    const now = d.clock.mono();
    const st = d.status(now);
    const state = d.state();
    const snap = d.liveness().snapshot();
    const input = { host: d.config.host, st, state, live: snap, held: d.held.status().bytes, resetsToday: d.history.resetsToday, lastCause: d.history.lastDiagnosis?.cause, now };
    // the bar is repainted only when what it shows changed (no redraw while idle)
    const snapshot = statusSnapshot(input);
    const key = JSON.stringify(snapshot);
    if (key !== this.lastStatusKey) {
      this.lastStatusKey = key;
      d.ui.setStatus(snapshot);
    }
    if (st.name === 'down' || st.name === 'reconnecting') d.ui.showOutage(outageInfo(input, d.outage, d.clock.toWall(state.outage?.detectedAt ?? now)));
    else d.ui.hideOutage();
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
      d.held.push(withoutReplies(bytes)); // a reply answered the old link's tmux; the new one asks again
      this.pushStatus();
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
