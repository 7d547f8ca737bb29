// The lab's state, credentials, processes and teardown; the faults are in lab.ts (Lab extends LabCore).
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Firewall } from './firewall.js';
import { teardownLab } from './lifecycle.js';
import type { LabOptions, LabParts } from './lifecycle.js';
import { run } from './run.js';
import type { RunOptions, RunResult } from './run.js';
import type { LabServer } from './server.js';
import { knownHostsLines } from './sshd-config.js';
import { LAB_ADDR } from './topology.js';
import type { LabNames } from './topology.js';
import { LAB_USER, authorize, generateKey, revoke, writeLabShadow } from './user.js';
import type { ClientKey } from './user.js';

/** What every lab has: addresses, credentials, process helpers, teardown. */
export class LabCore {
  /** Namespace names (`<prefix>-c`, `-f`, `-s`). */
  readonly names: LabNames;
  /** The server's address (port 22), reachable from the client namespace only. */
  readonly serverAddr: string = LAB_ADDR.server;
  /** The client's address. */
  get clientAddr(): string {
    return this.clientAddress;
  }
  /** The client's current address; changeClientAddr() moves it. */
  protected clientAddress: string = LAB_ADDR.client;
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
  protected readonly parts: LabParts;
  /** The lab user's current password (private to this lab). */
  protected pw: string;
  /** The current fake boot id. */
  protected boot: string;
  /** The extra sshd_config lines in force. */
  protected sshdExtra: readonly string[];
  /** False once disposed (dispose is idempotent). */
  private live = true;

  protected constructor(parts: LabParts, opts: LabOptions) {
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

  /** The lab user's password. */
  get password(): string {
    return this.pw;
  }

  /** The boot id the server shows in /proc/sys/kernel/random/boot_id. */
  get bootId(): string {
    return this.boot;
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
