// Local interface changes (up, down, new address), seen by comparing snapshots of os.networkInterfaces().
import { networkInterfaces } from 'node:os';
import type { InterfaceChange } from '../diagnosis/evidence.js';

/** Interface name → its non-internal addresses, sorted. */
export type InterfaceSnapshot = ReadonlyMap<string, string>;

/** The current snapshot (loopback left out: it never carries the link). */
export function snapshotInterfaces(read: typeof networkInterfaces = networkInterfaces): InterfaceSnapshot {
  const out = new Map<string, string>();
  for (const [name, addrs] of Object.entries(read())) {
    const list = (addrs ?? []).filter((a) => !a.internal).map((a) => a.cidr ?? a.address).sort();
    if (list.length > 0) out.set(name, list.join(','));
  }
  return out;
}

/** What changed between two snapshots. */
export function diffInterfaces(before: InterfaceSnapshot, after: InterfaceSnapshot, at: number): InterfaceChange[] {
  const changes: InterfaceChange[] = [];
  for (const [name, addrs] of before) {
    const now = after.get(name);
    if (now === undefined) changes.push({ at, kind: 'down', iface: name });
    else if (now !== addrs) changes.push({ at, kind: 'address-changed', iface: name });
  }
  for (const name of after.keys()) if (!before.has(name)) changes.push({ at, kind: 'up', iface: name });
  return changes;
}
