// The lab's stateful firewall (iptables in the firewall namespace) and the faults it injects.
import { must, run } from './run.js';
import { LAB_ADDR, nsSysctl } from './topology.js';

/** How a firewall fault answers: silently drop, or send a TCP reset. */
export type FaultMode = 'drop' | 'rst';

/** The kernel's default established-connection timeout, restored by clearIdleTimeout(). */
const DEFAULT_ESTABLISHED_TIMEOUT = 432_000;

// Fault chains, jumped to from FORWARD before the stateful accept; each fault owns one chain.
const BASE_RULES = `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:TL_BLACKHOLE - [0:0]
:TL_LOSS - [0:0]
:TL_BLOCK - [0:0]
:TL_INVALID - [0:0]
-A FORWARD -j TL_BLACKHOLE
-A FORWARD -j TL_LOSS
-A FORWARD -j TL_BLOCK
-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A FORWARD -p tcp --syn -m conntrack --ctstate NEW -j ACCEPT
-A FORWARD -p icmp -m conntrack --ctstate NEW -j ACCEPT
-A FORWARD -m conntrack --ctstate INVALID -j TL_INVALID
-A TL_INVALID -j DROP
COMMIT
`;

/** Picks the iptables flavour that works in a namespace: iptables-nft first (Debian 12's default), then legacy. */
export async function pickIptables(ns: string): Promise<string> {
  for (const bin of ['iptables-nft', 'iptables-legacy', 'iptables']) {
    const r = await run('ip', ['netns', 'exec', ns, bin, '-w', '-S']).catch(() => undefined);
    if (r?.code === 0) return bin;
  }
  throw new Error(`lab: no working iptables in namespace ${ns}`);
}

/** Controls the rules and conntrack sysctls of one lab's firewall namespace. */
export class Firewall {
  /** The firewall namespace this object edits. */
  readonly ns: string;
  /** The iptables binary that works on this kernel (see pickIptables). */
  readonly iptables: string;

  constructor(ns: string, iptables: string) {
    this.ns = ns;
    this.iptables = iptables;
  }

  /** Installs the stateful base rules and strict conntrack (no mid-stream pick-up). */
  async install(): Promise<void> {
    await must('ip', ['netns', 'exec', this.ns, `${this.iptables}-restore`, '-w'], { input: BASE_RULES });
    await nsSysctl(this.ns, 'net.netfilter.nf_conntrack_tcp_loose', '0');
  }

  private async ipt(...args: string[]): Promise<void> {
    await must('ip', ['netns', 'exec', this.ns, this.iptables, '-w', ...args]);
  }

  private async setChain(chain: string, rules: readonly (readonly string[])[]): Promise<void> {
    await this.ipt('-F', chain);
    for (const r of rules) await this.ipt('-A', chain, ...r);
  }

  /** Firewall idle timeout: established entries expire after `seconds` of silence; later packets are INVALID. */
  async idleTimeout(seconds: number, mode: FaultMode = 'drop'): Promise<void> {
    if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`lab: idleTimeout(${seconds}): want whole seconds >= 1`);
    await nsSysctl(this.ns, 'net.netfilter.nf_conntrack_tcp_timeout_established', String(seconds));
    await this.invalidMode(mode);
    // Existing entries keep their old timer until their next packet; shorten them now.
    await run('ip', ['netns', 'exec', this.ns, 'conntrack', '-U', '-p', 'tcp', '--state', 'ESTABLISHED', '--timeout', String(seconds)]);
  }

  /** Undoes idleTimeout(): the kernel default timeout, INVALID packets dropped. */
  async clearIdleTimeout(): Promise<void> {
    await nsSysctl(this.ns, 'net.netfilter.nf_conntrack_tcp_timeout_established', String(DEFAULT_ESTABLISHED_TIMEOUT));
    await this.invalidMode('drop');
  }

  /** What happens to packets of a connection the firewall no longer knows. */
  private async invalidMode(mode: FaultMode): Promise<void> {
    const rules: string[][] = mode === 'rst' ? [['-p', 'tcp', '-j', 'REJECT', '--reject-with', 'tcp-reset'], ['-j', 'DROP']] : [['-j', 'DROP']];
    await this.setChain('TL_INVALID', rules);
  }

  /** Blocks TCP port 22 of the server both ways (new and established); ICMP still passes. */
  async blockPort(mode: FaultMode = 'drop', port = 22): Promise<void> {
    const target = mode === 'rst' ? ['-j', 'REJECT', '--reject-with', 'tcp-reset'] : ['-j', 'DROP'];
    const p = String(port);
    await this.setChain('TL_BLOCK', [
      ['-p', 'tcp', '-d', LAB_ADDR.server, '--dport', p, ...target],
      ['-p', 'tcp', '-s', LAB_ADDR.server, '--sport', p, ...target],
    ]);
  }

  /** Undoes blockPort(). */
  async unblockPort(): Promise<void> {
    await this.setChain('TL_BLOCK', []);
  }

  /** Drops everything forwarded, ICMP included: the path is gone. */
  async blackhole(): Promise<void> {
    await this.setChain('TL_BLACKHOLE', [['-j', 'DROP']]);
  }

  /** Undoes blackhole(). */
  async restorePath(): Promise<void> {
    await this.setChain('TL_BLACKHOLE', []);
  }

  /** Random loss of `percent` % of forwarded packets (both directions); 0 removes it. */
  async loss(percent: number): Promise<void> {
    if (!(percent >= 0 && percent <= 100)) throw new Error(`lab: loss(${percent}): want 0..100`);
    const p = (percent / 100).toFixed(4);
    await this.setChain('TL_LOSS', percent === 0 ? [] : [['-m', 'statistic', '--mode', 'random', '--probability', p, '-j', 'DROP']]);
  }

  /** Removes every fault at once. */
  async clearAll(): Promise<void> {
    await this.restorePath();
    await this.loss(0);
    await this.unblockPort();
    await this.clearIdleTimeout();
  }

  /** Packets the firewall judged INVALID (e.g. the first one after an idle timeout) since install. */
  async invalidPackets(): Promise<number> {
    const out = await must('ip', ['netns', 'exec', this.ns, this.iptables, '-w', '-L', 'TL_INVALID', '-v', '-n', '-x']);
    return out
      .split('\n')
      .slice(2)
      .map((l) => Number(l.trim().split(/\s+/)[0]))
      .filter((n) => Number.isFinite(n))
      .reduce((a, b) => a + b, 0);
  }

  /** The current rules, for failure messages. */
  async dump(): Promise<string> {
    return must('ip', ['netns', 'exec', this.ns, this.iptables, '-w', '-S']);
  }
}
