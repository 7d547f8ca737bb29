// The fault lab: a real network with a stateful firewall and a real sshd, and every fault as one call.
import type { ChildProcess } from 'node:child_process';
import type { FaultMode } from './firewall.js';
import { LabCore } from './lab-core.js';
import { buildLab } from './lifecycle.js';
import type { LabOptions } from './lifecycle.js';
import { run } from './run.js';
import type { RunResult } from './run.js';
import { newBootId } from './server.js';
import { generateHostKeys, writeSshdConfig } from './sshd-config.js';
import { changeClientAddr, setClientLink } from './topology.js';

/** How long a hard-rebooted server sends nothing at all (its "boot"), in ms. */
const HARD_BOOT_MS = 1000;

export type { LabOptions } from './lifecycle.js';

/** One lab: three namespaces, a firewall, a server with sshd, and the faults. Dispose it in t.after / finally. */
export class Lab extends LabCore {
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

  /** The client gets a new address (next in 198.18.1.0/24, the old one removed): established connections are stranded. Returns it. */
  async changeClientAddr(): Promise<string> {
    const last = Number(this.clientAddress.split('.')[3]);
    const next = `198.18.1.${last >= 250 ? 2 : last + 1}`;
    await changeClientAddr(this.names, this.clientAddress, next);
    this.clientAddress = next;
    return next;
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
   * so a client hears nothing until it sends, and then gets a RST from the new "kernel" (which is silent
   * for its first HARD_BOOT_MS). Returns the new boot id.
   */
  async reboot(opts: { hard?: boolean } = {}): Promise<string> {
    const ipt = (...args: string[]): Promise<RunResult> => run('ip', ['netns', 'exec', this.names.server, this.firewall.iptables, '-w', ...args]);
    const silent = ['OUTPUT', '!', '-o', 'lo', '-p', 'tcp', '-j', 'DROP'];
    if (opts.hard === true) await ipt('-I', ...silent);
    const crashedAt = Date.now();
    await this.server.killEverything();
    if (opts.hard === true) await run('ip', ['netns', 'exec', this.names.server, 'ss', '-K', '-t', 'state', 'all']);
    this.server.wipeVolatile();
    this.boot = newBootId(this.server.paths.bootId);
    await this.server.startAnchor(true);
    await this.server.startSshd();
    if (opts.hard === true) {
      // the server stays silent while it "boots" (at least HARD_BOOT_MS): a client's delayed ACK
      // arriving then is not answered, so only what the client sends afterwards meets the RST
      await new Promise((r) => setTimeout(r, Math.max(0, crashedAt + HARD_BOOT_MS - Date.now())));
      await ipt('-D', ...silent);
    }
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
}

/** Builds a lab (see Lab). The caller must dispose it. */
export function createLab(opts: LabOptions = {}): Promise<Lab> {
  return Lab.create(opts);
}

