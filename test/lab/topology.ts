// The lab network: client ns <-veth-> firewall ns <-veth-> server ns, all inside 198.18.0.0/15.
import { must, runSync } from './run.js';

/** Addresses of the lab (each namespace is private to one lab, so every lab may reuse them). */
export const LAB_ADDR = {
  client: '198.18.1.2',
  fwClientSide: '198.18.1.1',
  fwServerSide: '198.18.2.1',
  server: '198.18.2.2',
} as const;

/** Interface name of the client's only link (inside the client namespace). */
export const CLIENT_IF = 'eth0';

/** The namespace names of one lab. */
export interface LabNames {
  readonly prefix: string;
  readonly client: string;
  readonly fw: string;
  readonly server: string;
}

// Counts labs made by this process, so names stay unique within it.
let labCounter = 0;

/** Short unique names (`tl<pid%1000><n>-<random>`): parallel and leftover runs never collide. */
export function labNames(): LabNames {
  labCounter += 1;
  const rand = Math.floor(Math.random() * 36 ** 3).toString(36).padStart(3, '0');
  const prefix = `tl${process.pid % 1000}${labCounter}${rand}`;
  return { prefix, client: `${prefix}-c`, fw: `${prefix}-f`, server: `${prefix}-s` };
}

async function ipn(ns: string, ...args: string[]): Promise<void> {
  await must('ip', ['-n', ns, ...args]);
}

/** Writes a sysctl inside a namespace (net.* sysctls are per network namespace). */
export async function nsSysctl(ns: string, key: string, value: string): Promise<void> {
  await must('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', `${key}=${value}`]);
}

/** Creates the three namespaces, the two veth pairs, addresses and routes. */
export async function createTopology(n: LabNames): Promise<void> {
  for (const ns of [n.client, n.fw, n.server]) {
    await must('ip', ['netns', 'add', ns]);
    await ipn(ns, 'link', 'set', 'lo', 'up');
  }
  // Both veth ends are born inside the lab namespaces: nothing ever appears in the root namespace.
  await ipn(n.client, 'link', 'add', CLIENT_IF, 'type', 'veth', 'peer', 'name', 'toc', 'netns', n.fw);
  await ipn(n.server, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'tos', 'netns', n.fw);
  await ipn(n.client, 'addr', 'add', `${LAB_ADDR.client}/24`, 'dev', CLIENT_IF);
  await ipn(n.fw, 'addr', 'add', `${LAB_ADDR.fwClientSide}/24`, 'dev', 'toc');
  await ipn(n.fw, 'addr', 'add', `${LAB_ADDR.fwServerSide}/24`, 'dev', 'tos');
  await ipn(n.server, 'addr', 'add', `${LAB_ADDR.server}/24`, 'dev', 'eth0');
  for (const [ns, dev] of [[n.client, CLIENT_IF], [n.fw, 'toc'], [n.fw, 'tos'], [n.server, 'eth0']] as const) {
    await ipn(ns, 'link', 'set', dev, 'up');
  }
  await clientDefaultRoute(n);
  await ipn(n.server, 'route', 'add', 'default', 'via', LAB_ADDR.fwServerSide);
  await nsSysctl(n.fw, 'net.ipv4.ip_forward', '1');
}

/** (Re)installs the client's default route, which the kernel drops while its link is down. */
export async function clientDefaultRoute(n: LabNames): Promise<void> {
  await ipn(n.client, 'route', 'replace', 'default', 'via', LAB_ADDR.fwClientSide, 'dev', CLIENT_IF);
}

/** Sets the client's link down or up (up also restores the default route). */
export async function setClientLink(n: LabNames, up: boolean): Promise<void> {
  await ipn(n.client, 'link', 'set', CLIENT_IF, up ? 'up' : 'down');
  if (up) await clientDefaultRoute(n);
}

/** Moves the client to a new address in its subnet (a Wi-Fi roam, a new DHCP lease): drop the old, add the new. */
export async function changeClientAddr(n: LabNames, from: string, to: string): Promise<void> {
  // old first: deleting a primary address would also delete a secondary added beside it
  await ipn(n.client, 'addr', 'del', `${from}/24`, 'dev', CLIENT_IF);
  await ipn(n.client, 'addr', 'add', `${to}/24`, 'dev', CLIENT_IF);
  await clientDefaultRoute(n);
}

/** PIDs of every process inside a network namespace (empty when the namespace is gone). */
export function netnsPids(ns: string): number[] {
  const r = runSync('ip', ['netns', 'pids', ns]);
  if (r.code !== 0) return [];
  return r.stdout
    .split(/\s+/)
    .filter((s) => s !== '')
    .map(Number)
    .filter((p) => Number.isInteger(p) && p > 1 && p !== process.pid);
}

/** Deletes the namespaces; the veths inside go with them. Synchronous so it also runs on exit. */
export function destroyTopology(n: LabNames): void {
  for (const ns of [n.client, n.fw, n.server]) {
    if (runSync('ip', ['netns', 'list']).stdout.split('\n').some((l) => l.split(' ')[0] === ns)) {
      runSync('ip', ['netns', 'del', ns]);
    }
  }
}
