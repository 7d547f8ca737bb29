// The lab server "machine": a private mount view (fake boot_id, own /run, /tmp, home, shadow) in the server
// netns, held open by an anchor process, and the real OpenSSH sshd running inside it.
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, runSync } from './run.js';
import type { RunOptions, RunResult } from './run.js';
import { netnsPids } from './topology.js';
import { LAB_HOME, LAB_USER } from './user.js';

/** Paths of one lab server's files on the host. */
export interface ServerPaths {
  readonly dir: string;
  readonly bootId: string;
  readonly run: string;
  readonly tmp: string;
  readonly home: string;
  readonly shadow: string;
  readonly keyDir: string;
  readonly config: string;
}

/** Lays out (and creates) the directories of a lab server under `dir`. */
export function serverPaths(dir: string): ServerPaths {
  const p: ServerPaths = {
    dir,
    bootId: join(dir, 'boot_id'),
    run: join(dir, 'run'),
    tmp: join(dir, 'tmp'),
    home: join(dir, 'home'),
    shadow: join(dir, 'shadow'),
    keyDir: join(dir, 'hostkeys'),
    config: join(dir, 'sshd_config'),
  };
  mkdirSync(join(p.run, 'sshd'), { recursive: true, mode: 0o755 });
  mkdirSync(p.tmp, { recursive: true });
  chmodSync(p.tmp, 0o1777);
  mkdirSync(p.keyDir, { recursive: true, mode: 0o700 });
  return p;
}

// Binds the lab's files over the real ones in a fresh private mount namespace, then idles as its anchor.
const ANCHOR_SCRIPT = `set -e
mount --bind "$1" /proc/sys/kernel/random/boot_id
mount --bind "$2" /run
mount --bind "$3" /tmp
mount --bind "$4" ${LAB_HOME}
mount --bind "$5" /etc/shadow
echo ready
exec sleep infinity`;

/** Whether this kernel has time namespaces (5.6+): reboot() then also resets the server's uptime. */
export const TIME_NS = existsSync('/proc/self/ns/time');

/** Seconds the host has been up (CLOCK_BOOTTIME), from /proc/uptime. */
function hostUptime(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
}

/** Writes a fresh random boot id (in place, so an existing bind mount sees it) and returns it. */
export function newBootId(path: string): string {
  const id = randomUUID();
  writeFileSync(path, `${id}\n`);
  return id;
}

/** Waits until `pattern` appears on a stream of the child, or rejects when it exits or times out. */
function waitFor(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, what: string, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => done(new Error(`lab: ${what} not ready after 10 s: ${log()}`)), 10_000);
    const onData = (d: Buffer): void => {
      seen += d.toString('utf8');
      if (pattern.test(seen)) done();
    };
    const onExit = (code: number | null): void => done(new Error(`lab: ${what} exited (${code}): ${log()}`));
    function done(err?: Error): void {
      clearTimeout(timer);
      child[stream]?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve();
    }
    child[stream]?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Runs and tracks the anchor and sshd of one lab server. */
export class LabServer {
  /** The server's network namespace. */
  readonly ns: string;
  /** Where its files live on the host. */
  readonly paths: ServerPaths;
  /** The anchor process whose mount namespace is the server's view; replaced by reboot(). */
  private anchor: ChildProcess | undefined;
  /** The current sshd master, or undefined after it was killed. */
  private master: ChildProcess | undefined;
  /** Everything this object spawned, killed by PID on dispose. */
  private readonly spawned = new Set<ChildProcess>();
  /** Everything sshd wrote to stderr (with -e), for failure messages. */
  private log = '';

  constructor(ns: string, paths: ServerPaths) {
    this.ns = ns;
    this.paths = paths;
  }

  /** sshd's stderr so far (master and sessions). */
  sshdLog(): string {
    return this.log;
  }

  private track(child: ChildProcess): ChildProcess {
    this.spawned.add(child);
    child.once('exit', () => this.spawned.delete(child));
    return child;
  }

  /**
   * Starts a fresh anchor: a new private mount namespace with the lab's binds (a new "boot"). With
   * `freshBoot`, also a time namespace whose CLOCK_BOOTTIME starts near 0, so /proc/uptime and the btime
   * of /proc/stat inside the server say it just booted.
   */
  async startAnchor(freshBoot = false): Promise<void> {
    const time = freshBoot && TIME_NS ? ['--time', '--boottime', String(Math.min(0, 1 - Math.floor(hostUptime())))] : [];
    const args = ['netns', 'exec', this.ns, 'unshare', '--mount', '--propagation', 'private', ...time, 'sh', '-c', ANCHOR_SCRIPT, 'anchor'];
    const p = this.paths;
    const child = this.track(spawn('ip', [...args, p.bootId, p.run, p.tmp, p.home, p.shadow], { stdio: ['ignore', 'pipe', 'pipe'] }));
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
    await waitFor(child, 'stdout', /ready\n/, 'server mount namespace', () => err);
    this.anchor = child;
  }

  private anchorPid(): number {
    const pid = this.anchor?.pid;
    if (pid === undefined || this.anchor?.exitCode !== null || this.anchor.signalCode !== null) {
      throw new Error('lab: the server is down (no anchor process); call reboot()');
    }
    return pid;
  }

  /** argv that runs a command inside the server's view (its netns and private mounts), as root or the lab user. */
  viewArgv(cmd: string, args: readonly string[], asUser = false): [string, string[]] {
    const enter = ['-t', String(this.anchorPid()), '-m', '-n', ...(TIME_NS ? ['-T'] : []), '-F'];
    if (!asUser) return ['nsenter', [...enter, cmd, ...args]];
    return ['nsenter', [...enter, 'runuser', '-u', LAB_USER, '--', 'env', `HOME=${LAB_HOME}`, `USER=${LAB_USER}`, cmd, ...args]];
  }

  /** Runs a command to completion inside the server's view. */
  exec(cmd: string, args: readonly string[], opts: RunOptions & { asUser?: boolean } = {}): Promise<RunResult> {
    const [c, a] = this.viewArgv(cmd, args, opts.asUser ?? false);
    return run(c, a, { timeoutMs: 30_000, ...opts });
  }

  /** Spawns a tracked process inside the server's view. */
  spawn(cmd: string, args: readonly string[], opts: SpawnOptions & { asUser?: boolean } = {}): ChildProcess {
    const [c, a] = this.viewArgv(cmd, args, opts.asUser ?? false);
    return this.track(spawn(c, a, opts));
  }

  /** Starts `sshd -D -e` in the server's view and resolves once it listens. */
  async startSshd(): Promise<number> {
    if (this.masterPid() !== undefined) throw new Error('lab: sshd is already running');
    const [c, a] = this.viewArgv('/usr/sbin/sshd', ['-D', '-e', '-f', this.paths.config]);
    const child = this.track(spawn(c, a, { stdio: ['ignore', 'ignore', 'pipe'] }));
    child.stderr?.on('data', (d: Buffer) => (this.log += d.toString('utf8')));
    await waitFor(child, 'stderr', /Server listening on/, 'sshd', () => this.log);
    this.master = child;
    return child.pid ?? -1;
  }

  /** PID of the live sshd master, if any. */
  masterPid(): number | undefined {
    const m = this.master;
    if (!m || m.exitCode !== null || m.signalCode !== null) return undefined;
    return m.pid;
  }

  /** PIDs of every sshd process in the server (master and per-connection ones). */
  sshdPids(): number[] {
    return netnsPids(this.ns).filter((pid) => {
      try {
        return /^sshd(-session)?$/.test(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
      } catch {
        return false;
      }
    });
  }

  /** PIDs of the per-connection sshd processes (everything sshd but the current master). */
  sessionPids(): number[] {
    const master = this.masterPid();
    return this.sshdPids().filter((p) => p !== master);
  }

  /** Kills the listening master only; established sessions keep running. */
  async killMaster(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const m = this.master;
    const pid = this.masterPid();
    this.master = undefined;
    if (!m || pid === undefined) return;
    const exited = new Promise((r) => m.once('exit', r));
    process.kill(pid, signal);
    await exited;
  }

  /** Kills the given PIDs and waits until they are gone. */
  async killPids(pids: readonly number[], signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
    for (let i = 0; i < 300 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 10));
  }

  /** Kills every process in the server netns (anchor, sshd, sessions, tmux) until none is left. */
  async killEverything(): Promise<void> {
    this.master = undefined;
    this.anchor = undefined;
    for (let round = 0; round < 20; round++) {
      const pids = netnsPids(this.ns);
      if (pids.length === 0) return;
      await this.killPids(pids);
    }
  }

  /** Empties /tmp and /run of the server, as a reboot would. */
  wipeVolatile(): void {
    for (const dir of [this.paths.tmp, this.paths.run]) {
      for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
    }
    mkdirSync(join(this.paths.run, 'sshd'), { mode: 0o755 });
  }

  /** Kills by PID everything it spawned and everything left in the netns (synchronous, for exit too). */
  disposeSync(): void {
    for (const child of this.spawned) {
      if (child.pid !== undefined) killQuietly(child.pid);
    }
    this.spawned.clear();
    for (let round = 0; round < 10; round++) {
      const pids = netnsPids(this.ns);
      if (pids.length === 0) break;
      for (const pid of pids) killQuietly(pid);
      runSync('sleep', ['0.05']);
    }
    this.master = undefined;
    this.anchor = undefined;
  }
}

/** True while a process exists and is not a zombie. */
export function alive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) return false;
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
