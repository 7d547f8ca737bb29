// The invisible interactive channel: tmux on tether's own server in control mode for keys, size and the pane's
// identity; the pane's bytes read from its log on the server from the last byte received, so an outage's output is
// replayed once, in order, and the local terminal gets exactly what the programs wrote (its own scrollback works).
import { messageOf } from '../common/errors.js';
import { KEYS_OPTION, controlCommand, readerCommand } from '../remote/control-scripts.js';
import { shQuote } from '../remote/shell-quote.js';
import { exactPaneTarget } from '../remote/tmux-invocation.js';
import type { Link } from '../transport/link.js';
import { openExec } from '../transport/session.js';
import type { SessionExit } from '../transport/session.js';
import { ControlClient } from './control-client.js';
import type { RemoteShell, ShellSink, ShellSpec } from './remote-shell.js';

/** Bytes of input per send-keys command (hex: three characters each). */
const KEYS_PER_COMMAND = 2048;

/** What outlives a connection: which pane instance, how far its log was read, the keys not yet known applied. */
export interface PaneState {
  /** `<server pid>-<session_created>-<pane_id>` of the pane last attached; a different one is a new shell. */
  instance?: string;
  /** Bytes of the instance's log already given to the terminal. */
  offset: number;
  /** The last key batch's sequence number, and the batches tmux has not confirmed (resent after a reconnect). */
  seq: number;
  unacked: { seq: number; bytes: Buffer }[];
  /** The pane's working directory as last reported (a new shell after a reboot starts there). */
  cwd?: string;
  /** The session existed before this process first attached: its screen is painted, not replayed. */
  existedBefore: boolean;
}

/** What the channel tells its session besides output. */
export interface ControlShellEvents {
  /** Something the user should read (bytes skipped, keys dropped). */
  notice: (text: string) => void;
  debug: (text: string) => void;
}

/** A fresh pane state for a session (existedBefore from the connect-time facts). */
export function newPaneState(existedBefore: boolean): PaneState {
  return { offset: 0, seq: 0, unacked: [], existedBefore };
}

/** Attempts at starting the control client when tmux's server dies as it starts (see openControlShell). */
const SERVER_START_ATTEMPTS = 4;

/** What tmux 3.3 tells every client when several started its server at the same moment and it died. */
const SERVER_START_RACE = /server exited unexpectedly/;

/**
 * Opens the control client and the log reader on a link; resolves once keys can be sent. When tmux's server dies as
 * the client starts ("server exited unexpectedly": tmux 3.3a crashes when a notification reaches a control client
 * that has not started yet, see startLockLines in remote/control-scripts.ts; hosts without flock are not protected by
 * the start lock), the client is started again after a short random wait.
 */
export async function openControlShell(...args: Parameters<typeof openControlShellOnce>): Promise<RemoteShell> {
  const ev = args[5];
  for (let attempt = 1; ; attempt++) {
    try {
      return await openControlShellOnce(...args);
    } catch (err) {
      if (attempt >= SERVER_START_ATTEMPTS || !SERVER_START_RACE.test(messageOf(err))) throw err;
      ev.debug(`control: ${messageOf(err)}; trying again`);
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
    }
  }
}

async function openControlShellOnce(
  link: Link,
  spec: ShellSpec,
  size: { rows: number; cols: number },
  sink: ShellSink,
  pane: PaneState,
  ev: ControlShellEvents,
): Promise<RemoteShell> {
  const target = shQuote(exactPaneTarget(spec.session));
  const command = controlCommand({
    session: spec.session,
    term: spec.term,
    cols: size.cols,
    rows: size.rows,
    ...(pane.cwd !== undefined ? { cwd: pane.cwd } : {}),
    agentLink: spec.agentForward,
  });
  const channel = await openExec(link, command, { env: spec.env, agentForward: spec.agentForward });
  /** Why tmux let the control client go (`%exit REASON`), said if the shell ends without a status. */
  let tmuxExit = '';
  const client = new ControlClient(channel, (e) => {
    if (e.type === 'exit') tmuxExit = e.reason;
    if (e.type === 'subscription' && e.name === 'cwd' && e.value !== '') pane.cwd = e.value;
    if (e.type === 'subscription') ev.debug(`control: ${e.name} = ${e.value}`);
    if (e.type === 'reply' && !e.ok) ev.debug(`control: the initial command failed: ${e.lines.join(' ')}`);
  });
  let reader: Awaited<ReturnType<typeof openExec>> | undefined;
  const dispose = (): void => {
    client.dispose();
    reader?.dispose();
  };
  try {
    // pipelined: one round trip until the pane's identity is known
    const early = (r: { ok: boolean; lines: string[] }[]): void => {
      for (const x of r) if (!x.ok) ev.debug(`control: ${x.lines.join(' ')}`);
    };
    void client.send(`refresh-client -C ${size.cols},${size.rows}`).then(early, () => undefined);
    void client.send('refresh-client -f no-output').then(early, () => undefined);
    void client.send(`refresh-client -B ${shQuote('cwd::#{pane_current_path}')}`).then(early, () => undefined);
    const { instance, acked } = await paneIdentity(client, target);
    const same = pane.instance === instance;
    const from: number | 'end' = same ? pane.offset : pane.instance === undefined && pane.existedBefore ? 'end' : 0;
    if (!same && pane.unacked.length > 0) {
      const n = pane.unacked.reduce((a, k) => a + k.bytes.length, 0);
      ev.notice(`${n} typed byte${n === 1 ? '' : 's'} not sent: the shell they were typed for is gone`);
      pane.unacked = [];
    }
    // a shell gone while the link was down: said in the terminal itself, where the new shell's output follows
    if (!same && pane.instance !== undefined) {
      const where = pane.cwd === undefined ? '' : ` in ${pane.cwd}`;
      sink.write(Buffer.from(`\r\ntether: the old shell is gone; a new shell started${where}\r\n`));
    }
    pane.instance = instance;
    if (from === 'end') await paintFromTmux(client, target, sink);
    pane.unacked = pane.unacked.filter((k) => k.seq > acked);
    const keys = (bytes: Buffer): void => sendKeys(client, target, pane, bytes);
    for (const k of pane.unacked.splice(0)) keys(k.bytes);
    ev.debug(`control: instance ${instance} from ${String(from)} acked ${acked}`);
    reader = await openExec(link, readerCommand(spec.session, instance, from));
    const r = reader;
    let base = from === 'end' ? 0 : from;
    let received = 0;
    r.stdout.on('data', (d: Buffer) => {
      received += d.length;
      pane.offset = base + received;
      if (!sink.write(d)) {
        r.stdout.pause();
        sink.onDrain(() => r.stdout.resume());
      }
    });
    let errText = '';
    r.stderr.on('data', (d: Buffer) => {
      errText += d.toString('utf8');
      let nl: number;
      while ((nl = errText.indexOf('\n')) !== -1) {
        const line = errText.slice(0, nl);
        errText = errText.slice(nl + 1);
        const m = /^tether-(log|skip) (\d+)$/.exec(line);
        if (m?.[1] === 'log') base = Number(m[2]); // the offset of the reader's first byte
        else if (m?.[1] === 'skip') ev.notice(`${m[2] ?? '?'} bytes of output printed while the link was down were more than the server keeps (64 MiB); skipped`);
        else if (line !== '') ev.debug(`reader: ${line}`);
        pane.offset = base + received;
      }
    });
    // no status from the shell: it died with its pane (tmux killed, the session killed): 255, as ssh for a signal
    const exit: Promise<SessionExit> = r.exit.then(async (x) => {
      if (x.code !== 255) return x;
      await Promise.race([channel.exit, new Promise((res) => setTimeout(res, 500))]); // tmux's %exit says why
      return { ...x, message: `the remote tmux session ended without the shell's exit status${tmuxExit === '' ? '' : ` (tmux: ${tmuxExit})`}` };
    });
    return {
      session: {
        write: keys,
        resize: (rows, cols) => void client.send(`refresh-client -C ${cols},${rows}`).catch(() => undefined),
        exit,
        dispose,
      },
      ready: Promise.resolve(),
    };
  } catch (err) {
    dispose();
    throw new Error(`tmux control mode: ${messageOf(err)}${tmuxExit === '' ? '' : ` (tmux: ${tmuxExit})`}`, { cause: err });
  }
}

/**
 * The pane's identity (`<server pid>-<session_created>-<pane_id>`) and the last key batch tmux applied. Asked again for a moment
 * when the formats come back empty (seen in the lab, now and then, right after new-session on a busy server).
 */
async function paneIdentity(client: ControlClient, target: string): Promise<{ instance: string; acked: number }> {
  let last = '';
  for (let i = 0; i < 20; i++) {
    const [who] = await client.send(`display-message -p -t ${target} ${shQuote(`#{pid}-#{session_created}-#{pane_id} #{${KEYS_OPTION}}`)}`);
    last = who?.lines.join(' ') ?? 'no reply';
    const [instance = '', acked = ''] = (who?.lines[0] ?? '').split(' ');
    if (who?.ok && /^\d+-\d+-%\d+$/.test(instance)) return { instance, acked: Number(acked) || 0 };
    if (who?.ok === false) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tmux did not name the pane: ${last}`);
}

/** Sends typed bytes as hex keys; each batch records its number in the session, so a reconnect knows what arrived. */
function sendKeys(client: ControlClient, target: string, pane: PaneState, bytes: Buffer): void {
  for (let i = 0; i < bytes.length; i += KEYS_PER_COMMAND) {
    const chunk = bytes.subarray(i, i + KEYS_PER_COMMAND);
    const seq = ++pane.seq;
    pane.unacked.push({ seq, bytes: Buffer.from(chunk) });
    const hex = [...chunk].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    client.send(`send-keys -t ${target} -H ${hex} ; set-option -q -t ${target} ${KEYS_OPTION} ${seq}`, 2).then(
      () => (pane.unacked = pane.unacked.filter((k) => k.seq > seq)),
      () => undefined, // the link went: the batch stays unacked and is resent (or found applied) after the reconnect
    );
  }
}

/** A session first seen by this process: its visible screen and cursor, as tmux holds them. */
async function paintFromTmux(client: ControlClient, target: string, sink: ShellSink): Promise<void> {
  const [pos] = await client.send(`display-message -p -t ${target} ${shQuote('#{cursor_x} #{cursor_y} #{alternate_on}')}`);
  const [x = 0, y = 0, alt = 0] = (pos?.lines[0] ?? '').split(' ').map(Number);
  const [screen] = await client.send(`capture-pane -p -e ${alt === 1 ? '-a ' : ''}-t ${target}`);
  const rows = screen?.ok ? screen.lines : [];
  const text = `${alt === 1 ? '\x1b[?1049h' : ''}\x1b[H\x1b[2J${rows.join('\r\n')}\x1b[0m\x1b[${y + 1};${x + 1}H`;
  sink.write(Buffer.from(text));
}
