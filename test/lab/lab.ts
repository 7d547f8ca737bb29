// The fault lab: a real network with a stateful firewall and a real sshd, and every fault as one call.
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Firewall, FaultMode } from './firewall.js';
import { buildLab, teardownLab } from './lifecycle.js';
import type { LabOptions, LabParts } from './lifecycle.js';
import { run } from './run.js';
import type { RunOptions, RunResult } from './run.js';
import { newBootId } from './server.js';
import type { LabServer } from './server.js';
import { generateHostKeys, knownHostsLines, writeSshdConfig } from './sshd-config.js';
import { LAB_ADDR, setClientLink } from './topology.js';
import type { LabNames } from './topology.js';
import { LAB_USER, authorize, generateKey, revoke, writeLabShadow } from './user.js';
import type { ClientKey } from './user.js';

export type { LabOptions } from './lifecycle.js';

/** One lab: three namespaces, a firewall, a server with sshd. Dispose it in t.after / finally. */
export class Lab {
  /** Namespace names (`<prefix>-c`, `-f`, `-s`). */
  readonly names: LabNames;
  /** The server's address (port 22), reachable from the client namespace only. */
  readonly serverAddr: string = LAB_ADDR.server;
  /** The client's address. */
  readonly clientAddr: string = LAB_ADDR.client;
  /** sshd's port. */
  readonly port = 22;
  /** The login user on the server. */
  readonly user: string = LAB_USER;
  /** Host directory with everything of this lab (config, keys, the server's /tmp, /run, home). */
  readonly dir: string;
  /** Client-side files (keys, known_hosts, askpass) on the host, readable from the client namespace. */
  readonly clientDir: string;
  /** A known_hosts file with the host keys as they were at creation (not updated by changeHostKey). */
  readonly knownHostsPath: string;
  /** The firewall namespace's controls. */
  readonly firewall: Firewall;
  /** The server machine (anchor, sshd). */
  readonly server: LabServer;
  /** A key authorized at creation (ed25519, no passphrase). */
  clientKey!: ClientKey;
  /** The parts, kept for teardown. */
  private readonly parts: LabParts;
  /** The lab user's current password (private to this lab). */
  private pw: string;
  /** The current fake boot id. */
  private boot: string;
  /** The extra sshd_config lines in force. */
  private sshdExtra: readonly string[];
  /** False once disposed (dispose is idempotent). */
  private live = true;

  private constructor(parts: LabParts, opts: LabOptions) {
    this.parts = parts;
    this.names = parts.names;
    this.dir = parts.dir;
    this.clientDir = parts.clientDir;
    this.knownHostsPath = parts.knownHostsPath;
    this.firewall = parts.firewall;
    this.server = parts.server;
    this.pw = parts.password;
    this.boot = parts.bootId;
    this.sshdExtra = opts.sshdOptions ?? [];
  }

  /** Builds a whole lab; on any failure it tears down what it made and rethrows. */
  static async create(opts: LabOptions = {}): Promise<Lab> {
    const lab = new Lab(await buildLab(opts), opts);
    try {
      lab.clientKey = await lab.generateClientKey();
    } catch (err) {
      lab.disposeSync();
      throw err;
    }
    return lab;
  }

  /** The lab user's password. */
  get password(): string {
    return this.pw;
  }

  /** The boot id the server shows in /proc/sys/kernel/random/boot_id. */
  get bootId(): string {
    return this.boot;
  }

  // ---- firewall faults ----
  /** Firewall idle timeout (conntrack established timeout in the fw ns, tcp_loose=0); 'rst' answers late packets with a reset. */
  idleTimeout(seconds: number, mode: FaultMode = 'drop'): Promise<void> {
    return this.firewall.idleTimeout(seconds, mode);
  }
  /** Undoes idleTimeout(). */
  clearIdleTimeout(): Promise<void> {
    return this.firewall.clearIdleTimeout();
  }
  /** Blocks port 22 (drop or reset), new and established connections; ICMP still passes. */
  blockPort(mode: FaultMode = 'drop'): Promise<void> {
    return this.firewall.blockPort(mode);
  }
  /** Undoes blockPort(). */
  unblockPort(): Promise<void> {
    return this.firewall.unblockPort();
  }
  /** Drops everything forwarded, ICMP too. */
  blackhole(): Promise<void> {
    return this.firewall.blackhole();
  }
  /** Undoes blackhole(). */
  restorePath(): Promise<void> {
    return this.firewall.restorePath();
  }
  /** Random packet loss in percent (0 removes it). */
  loss(percent: number): Promise<void> {
    return this.firewall.loss(percent);
  }

  // ---- client link ----
  /** The client's interface goes down (its routes vanish: ENETUNREACH). */
  linkDown(): Promise<void> {
    return setClientLink(this.names, false);
  }
  /** The client's interface comes back with its default route. */
  linkUp(): Promise<void> {
    return setClientLink(this.names, true);
  }

  // ---- server faults ----
  /** PID of the listening sshd master, if running. */
  sshdMasterPid(): number | undefined {
    return this.server.masterPid();
  }
  /** Kills only the listening master: established sessions live on, new connects are refused. */
  killSshdMaster(): Promise<void> {
    return this.server.killMaster();
  }
  /** Kills the master and every per-connection sshd ("sshd crash"); tmux survives. */
  async killSshdAll(): Promise<void> {
    await this.server.killMaster();
    await this.server.killPids(this.server.sshdPids());
  }
  /** Starts sshd (after a kill): a new master with a new start time. Returns its PID. */
  startSshd(): Promise<number> {
    return this.server.startSshd();
  }
  /**
   * Opens `count` TCP connections to sshd from the client ns that never speak: with `MaxStartups <count>` set
   * (setSshdOptions) the next connection is closed before the banner. Kill the returned processes to undo.
   */
  async holdUnauthenticated(count = 1): Promise<ChildProcess[]> {
    const script = `exec 3<>/dev/tcp/${this.serverAddr}/${this.port} && echo held && exec sleep 600`;
    const holders: ChildProcess[] = [];
    for (let i = 0; i < count; i++) {
      const child = this.spawnInClient('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      holders.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stdout?.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`lab: holder connection failed (${code})`)));
      });
    }
    return holders;
  }
  /** Per-connection sshd PIDs (all sessions belong to the lab user: AllowUsers). */
  sessionPids(): number[] {
    return this.server.sessionPids();
  }
  /** Kills per-connection sshd processes (all, or the one given), as the OOM killer would; returns the PIDs killed. */
  async killSession(pid?: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<number[]> {
    const pids = pid === undefined ? this.server.sessionPids() : [pid];
    await this.server.killPids(pids, signal);
    return pids;
  }
  /**
   * Reboot: kill every server process, wipe /tmp and /run, new boot id, uptime from ~1 s (time ns), sshd again.
   * Default: the dying processes' sockets close, so clients see a FIN ("closed by remote host"), as after a
   * clean shutdown. `hard`: a crash; nothing leaves the server while it dies and its sockets are destroyed,
   * so a client hears nothing until it sends, and then gets a RST from the new "kernel". Returns the new boot id.
   */
  async reboot(opts: { hard?: boolean } = {}): Promise<string> {
    const ipt = (...args: string[]): Promise<RunResult> => run('ip', ['netns', 'exec', this.names.server, this.firewall.iptables, '-w', ...args]);
    if (opts.hard === true) await ipt('-I', 'OUTPUT', '-p', 'tcp', '-j', 'DROP');
    await this.server.killEverything();
    if (opts.hard === true) {
      await run('ip', ['netns', 'exec', this.names.server, 'ss', '-K', '-t', 'state', 'all']);
      await ipt('-D', 'OUTPUT', '-p', 'tcp', '-j', 'DROP');
    }
    this.server.wipeVolatile();
    this.boot = newBootId(this.server.paths.bootId);
    await this.server.startAnchor(true);
    await this.server.startSshd();
    return this.boot;
  }
  /** New host keys, then sshd restarted (established sessions live on). */
  async changeHostKey(): Promise<void> {
    await generateHostKeys(this.server.paths.keyDir);
    await this.restartSshd();
  }
  /** Replaces the extra sshd_config lines and restarts sshd. */
  async setSshdOptions(lines: readonly string[]): Promise<void> {
    this.sshdExtra = [...lines];
    writeSshdConfig(this.server.paths.config, this.server.paths.keyDir, this.sshdExtra);
    await this.restartSshd();
  }
  /** Kills the master (sessions live on) and starts a new one with the current config and keys. */
  async restartSshd(): Promise<number> {
    await this.server.killMaster();
    return this.server.startSshd();
  }
  /** sshd's stderr log so far, for assertion messages. */
  sshdLog(): string {
    return this.server.sshdLog();
  }

  // ---- credentials ----
  /** Changes the lab user's password (this lab only). */
  async setPassword(password: string): Promise<void> {
    this.pw = password;
    await writeLabShadow(this.server.paths.shadow, password);
  }
  /** Generates a client key in clientDir (optionally with a passphrase) and authorizes it unless told not to. */
  async generateClientKey(opts: { passphrase?: string; type?: 'ed25519' | 'rsa'; authorize?: boolean } = {}): Promise<ClientKey> {
    const key = await generateKey(this.clientDir, opts);
    if (opts.authorize !== false) this.authorizeKey(key);
    return key;
  }
  /** Adds a public key (line or ClientKey) to the lab user's authorized_keys. */
  authorizeKey(key: ClientKey | string): void {
    authorize(this.parts.authorizedKeys, typeof key === 'string' ? key : key.publicKey);
  }
  /** Removes a public key from authorized_keys (later logins with it fail). */
  revokeKey(key: ClientKey | string): void {
    revoke(this.parts.authorizedKeys, typeof key === 'string' ? key : key.publicKey);
  }
  /** known_hosts lines for the server's current host keys (`198.18.2.2 ssh-ed25519 ...`). */
  knownHostsLine(host: string = this.serverAddr): string {
    return knownHostsLines(this.server.paths.keyDir, host);
  }
  /** Writes a known_hosts file with the current keys (default: knownHostsPath) and returns its path. */
  writeKnownHosts(path: string = this.knownHostsPath): string {
    writeFileSync(path, this.knownHostsLine());
    return path;
  }

  // ---- processes ----
  /** argv that runs a command in the client namespace (for node-pty or your own spawn): ['ip', ['netns', 'exec', ...]]. */
  clientArgv(cmd: string, args: readonly string[] = []): [string, string[]] {
    return ['ip', ['netns', 'exec', this.names.client, cmd, ...args]];
  }
  /** Runs a command in the client namespace to completion. */
  execInClient(cmd: string, args: readonly string[] = [], opts: RunOptions = {}): Promise<RunResult> {
    return run('ip', ['netns', 'exec', this.names.client, cmd, ...args], { timeoutMs: 60_000, ...opts });
  }
  /** Spawns a process in the client namespace (its PID is the command's own); killed on dispose. */
  spawnInClient(cmd: string, args: readonly string[] = [], opts: SpawnOptions = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.names.client, cmd, ...args], opts);
    this.parts.clientProcs.add(child);
    child.once('exit', () => this.parts.clientProcs.delete(child));
    return child;
  }
  /** Runs a command in the server (its netns and private mounts: fake boot_id, its /tmp), as root or the lab user. */
  execInServer(cmd: string, args: readonly string[] = [], opts: RunOptions & { asUser?: boolean } = {}): Promise<RunResult> {
    return this.server.exec(cmd, args, opts);
  }
  /** Spawns a process in the server; killed on dispose. */
  spawnInServer(cmd: string, args: readonly string[] = [], opts: SpawnOptions & { asUser?: boolean } = {}): ChildProcess {
    return this.server.spawn(cmd, args, opts);
  }
  /**
   * Opens another TCP port on the server (a listener that greets and closes), so a diagnosis can see
   * "the host answers on port N while 22 is blocked". Resolves once it listens; killed on dispose or reboot.
   */
  async openPort(port = 80): Promise<ChildProcess> {
    const js = `require('net').createServer((s) => s.end('tether-lab\\n')).listen(${port}, '${this.serverAddr}', () => console.log('listening'))`;
    const child = this.spawnInServer(process.execPath, ['-e', js], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`lab: cannot listen on port ${port} (${code})`)));
    });
    return child;
  }
  /** tmux session names of the lab user on the server ([] when no tmux server runs). */
  async tmuxSessions(): Promise<string[]> {
    const r = await this.execInServer('tmux', ['list-sessions', '-F', '#{session_name}'], { asUser: true });
    return r.code === 0 ? r.stdout.split('\n').filter((s) => s !== '') : [];
  }

  // ---- client suspend ----
  /** Freezes a client-side process (cgroup v1 freezer): it stops getting CPU, like a sleeping laptop. */
  freeze(pid: number): Promise<void> {
    return this.parts.freezer.freeze(pid);
  }
  /** Thaws it and removes its cgroup. */
  thaw(pid: number): void {
    this.parts.freezer.thaw(pid);
  }
  /** The freezer state of a process frozen through this lab (FROZEN, THAWED...). */
  freezerState(pid: number): string | undefined {
    return this.parts.freezer.state(pid);
  }

  // ---- teardown ----
  /** Kills every process it started (by PID, then by `ip netns pids`), deletes namespaces, cgroups, files. Idempotent. */
  dispose(): Promise<void> {
    this.disposeSync();
    return Promise.resolve();
  }

  /** The synchronous teardown behind dispose(), also run on process exit. */
  disposeSync(): void {
    if (!this.live) return;
    this.live = false;
    teardownLab(this.parts);
    this.parts.unregister();
  }

  /** Bytes of a client-side file, e.g. a key, for tests that need them. */
  readClientFile(name: string): string {
    return readFileSync(join(this.clientDir, name), 'utf8');
  }
}

/** Builds a lab (see Lab). The caller must dispose it. */
export function createLab(opts: LabOptions = {}): Promise<Lab> {
  return Lab.create(opts);
}

