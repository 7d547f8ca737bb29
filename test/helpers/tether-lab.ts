// Runs the real `bin/tether` healing session inside a fault lab's client namespace, in a pty, and reads what it left:
// the screen, the TETHER_DEBUG_LOG trace and the reset history. For test/lab/heal-*.test.ts.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../lab/index.js';
import { waitUntil } from '../lab/wait.js';
import { PtyDriver } from './pty-driver.js';

/** The repository root (bin/tether runs dist/tether.cjs: `npm run build` first). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One history line after merging its `update` lines (only the fields the lab tests read are typed). */
export interface ResetLine {
  id: string;
  cause: string;
  confidence: number;
  outcome: string;
  trigger: string;
  evidence: string[];
  advice: string[];
  attempts: number;
  downtimeMs: number | null;
  keepaliveMs: number | null;
  [field: string]: unknown;
}

/** How to start tether. */
export interface TetherSpawnOptions {
  /** XDG_STATE_HOME (history, learned host state); a fresh directory when absent. Reuse it for a "second run". */
  stateHome?: string;
  /** XDG_CONFIG_HOME (tether's settings); a fresh directory when absent. */
  configHome?: string;
  /** Extra ssh options before the destination, e.g. ['-o', 'ServerAliveInterval=5']. */
  args?: string[];
  /** Private key file (default: the lab's client key). */
  keyPath?: string;
  /** Extra environment. */
  env?: Record<string, string>;
  cols?: number;
  rows?: number;
}

/** A running tether and everything it leaves behind. */
export interface TetherRun {
  readonly driver: PtyDriver;
  /** The tether node process (ip netns exec and env exec, so the pty's child is tether itself). */
  readonly pid: number;
  readonly stateHome: string;
  readonly configHome: string;
  /** TETHER_DEBUG_LOG of this run. */
  readonly debugLog: string;
  /** The reset records so far, update lines merged, oldest first. */
  resets(): ResetLine[];
  /** The state machine trace so far. */
  trace(): string;
  /** Kills tether (by PID, its process group) and frees the screen model. Idempotent. */
  kill(): void;
}

/** A scratch directory for XDG homes that outlives a lab (removed by removeScratch). */
export function scratchDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `tether-heal-${tag}-`));
}

/** Removes a scratch directory made by scratchDir. */
export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes tether settings (config.json in $XDG_CONFIG_HOME/tether) the way `tether config set` stores them. */
export function writeSettings(configHome: string, settings: Record<string, unknown>): void {
  const dir = join(configHome, 'tether');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(settings), { mode: 0o600 });
}

/** Reads resets.jsonl and merges `update` lines into their records. */
export function readResets(stateHome: string): ResetLine[] {
  const file = join(stateHome, 'tether', 'resets.jsonl');
  if (!existsSync(file)) return [];
  const byId = new Map<string, ResetLine>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const id = String(o.id);
    const { update, ...fields } = o;
    const prev = byId.get(id);
    if (update === true) {
      if (prev) Object.assign(prev, fields);
    } else {
      byId.set(id, fields as ResetLine);
    }
  }
  return [...byId.values()];
}

/** The learned per-host state file ($XDG_STATE_HOME/tether/hosts.json), raw. */
export function readHostState(stateHome: string): string {
  const file = join(stateHome, 'tether', 'hosts.json');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** Starts `bin/tether ... tetherlab@server` in a pty, inside the lab's client namespace. */
export function spawnTetherInClient(lab: Lab, opts: TetherSpawnOptions = {}): TetherRun {
  const stateHome = opts.stateHome ?? scratchDir('state');
  const configHome = opts.configHome ?? scratchDir('config');
  const debugLog = join(stateHome, `trace-${Date.now()}-${Math.floor(Math.random() * 1e6)}.log`);
  const env: Record<string, string> = {
    XDG_STATE_HOME: stateHome,
    XDG_CONFIG_HOME: configHome,
    TETHER_DEBUG_LOG: debugLog,
    ...opts.env,
  };
  const sshArgs = [
    '-F', '/dev/null',
    '-i', opts.keyPath ?? lab.clientKey.privatePath,
    '-o', 'IdentitiesOnly=yes',
    '-o', `UserKnownHostsFile=${lab.knownHostsPath}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'UpdateHostKeys=no',
    ...(opts.args ?? []),
    `${lab.user}@${lab.serverAddr}`,
  ];
  const [ip, ipArgs] = lab.clientArgv('env', [
    ...Object.entries({ ...env, HOME: process.env.HOME ?? '/root' }).map(([k, v]) => `${k}=${v}`),
    process.execPath,
    join(REPO, 'bin', 'tether'),
    ...sshArgs,
  ]);
  const driver = new PtyDriver(ip, ipArgs, { cols: opts.cols ?? 100, rows: opts.rows ?? 30, cwd: REPO, env });
  let killed = false;
  return {
    driver,
    pid: driver.pid,
    stateHome,
    configHome,
    debugLog,
    resets: () => readResets(stateHome),
    trace: () => (existsSync(debugLog) ? readFileSync(debugLog, 'utf8') : '(no trace written)'),
    kill: () => {
      if (killed) return;
      killed = true;
      driver.kill();
    },
  };
}

/** Everything worth seeing when a heal test fails: screen, trace tail, history, sshd log tail. */
export function failureReport(lab: Lab | undefined, t: TetherRun | undefined): string {
  const parts: string[] = [];
  if (t) {
    parts.push(`--- screen:\n${t.driver.screenText()}`, `--- exit: ${JSON.stringify(t.driver.exit)}`);
    parts.push(`--- raw output (last 1500 chars, control characters escaped):\n${JSON.stringify(t.driver.output().slice(-1500))}`);
    parts.push(`--- history:\n${t.resets().map((r) => JSON.stringify(r)).join('\n')}`);
    parts.push(`--- trace (last 80 lines):\n${t.trace().split('\n').slice(-80).join('\n')}`);
  }
  if (lab) parts.push(`--- sshd log (last 30 lines):\n${lab.sshdLog().split('\n').slice(-30).join('\n')}`);
  return parts.join('\n');
}

/** Types a line into the remote shell (keys + Enter). */
export function typeLine(t: TetherRun, line: string): void {
  t.driver.write(`${line}\r`);
}

/** Asks the remote shell for its PID (`echo PID-<tag>=$$`) and returns it once it is on screen. */
export async function remoteShellPid(t: TetherRun, tag: string, timeoutMs = 15_000): Promise<number> {
  const re = new RegExp(`PID-${tag}=(\\d+)`);
  typeLine(t, `echo PID-${tag}=$$`);
  await t.driver.waitForText(re, timeoutMs);
  return Number(re.exec(t.driver.screenText())?.[1]);
}

/** Waits until the shell prompt is on screen (tmux attached, bash ready). */
export async function waitForPrompt(t: TetherRun, timeoutMs = 20_000): Promise<void> {
  await t.driver.waitForText(/\$ ?$/m, timeoutMs);
}

/** Waits until the trace shows the machine left `connected` for an outage state. */
export async function waitForOutage(t: TetherRun, timeoutMs: number, since = 0): Promise<void> {
  await waitUntil(() => /-> (down|reconnecting)\b/.test(t.trace().slice(since)), 'tether to notice the outage (trace)', timeoutMs, 100);
}

/** Waits until the trace shows a completed restore after `since` (a byte offset into the trace). */
export async function waitForRestore(t: TetherRun, timeoutMs: number, since = 0): Promise<void> {
  await waitUntil(() => /"type":"restore-done"/.test(t.trace().slice(since)), 'tether to restore the session (trace)', timeoutMs, 100);
}

/** Waits for the n-th reset record (the record is written a moment after the restore; updates may follow). */
export async function waitForResets(t: TetherRun, n: number, timeoutMs = 15_000): Promise<ResetLine[]> {
  await waitUntil(() => t.resets().length >= n, `${n} reset record(s) in resets.jsonl`, timeoutMs, 200);
  return t.resets();
}

/** Lowers the client's TCP retransmission count so a dropped connection dies in seconds, not 15 minutes. */
export async function shortTcpRetries(lab: Lab): Promise<void> {
  await lab.execInClient('sysctl', ['-q', '-w', 'net.ipv4.tcp_retries2=3']);
}

/** Makes the lab's tmux quiet (no status line clock): an idle session is then truly silent. */
export function quietTmux(lab: Lab): void {
  const conf = join(lab.server.paths.home, '.tmux.conf');
  writeFileSync(conf, 'set -g status off\n');
}
