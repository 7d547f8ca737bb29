// mosh in the lab: its UDP ports are not allowed by the lab firewall (NEW tcp SYN and icmp only), so the bench opens
// them (in the firewall namespace of its own lab, nowhere else) and counts the UDP packets for the idle benchmark.
import type { Lab } from '../test/lab/index.js';
import { run } from '../test/lab/run.js';

/** mosh-server's port range. */
const PORTS = '60000:61000';

/** Allows NEW UDP to the server's mosh ports (after the fault chains, so blackhole still drops it) and adds counters. */
export async function openMoshPorts(lab: Lab): Promise<void> {
  const ipt = (...a: string[]): Promise<unknown> => run('ip', ['netns', 'exec', lab.names.fw, lab.firewall.iptables, '-w', ...a]);
  await ipt('-I', 'FORWARD', '4', '-p', 'udp', '-d', lab.serverAddr, '--dport', PORTS, '-m', 'conntrack', '--ctstate', 'NEW', '-j', 'ACCEPT');
  await ipt('-I', 'FORWARD', '1', '-p', 'udp', '-s', lab.clientAddr, '-d', lab.serverAddr, '--dport', PORTS);
  await ipt('-I', 'FORWARD', '1', '-p', 'udp', '-s', lab.serverAddr, '-d', lab.clientAddr, '--sport', PORTS);
}

/** UDP packets forwarded so far between client and the mosh ports: [client→server, server→client]. */
export async function moshPackets(lab: Lab): Promise<[number, number]> {
  const r = await run('ip', ['netns', 'exec', lab.names.fw, lab.firewall.iptables, '-w', '-L', 'FORWARD', '-v', '-n', '-x']);
  let up = 0;
  let down = 0;
  for (const line of r.stdout.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (!/\budp\b/.test(line) || /ACCEPT/.test(line)) continue;
    const pkts = Number(f[0]);
    if (line.includes(`dpts:${PORTS}`)) up += pkts;
    else if (line.includes(`spts:${PORTS}`)) down += pkts;
  }
  return [up, down];
}
