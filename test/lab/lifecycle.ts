// Building and tearing down the parts of one lab (namespaces, firewall, server, files), with emergency teardown.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Firewall, pickIptables } from './firewall.js';
import { Freezer } from './freezer.js';
import { LAB_ROOT, reapStaleLabs, register } from './registry.js';
import { LabServer, newBootId, serverPaths } from './server.js';
import { generateHostKeys, knownHostsLines, writeSshdConfig } from './sshd-config.js';
import { createTopology, destroyTopology, labNames, netnsPids } from './topology.js';
import type { LabNames } from './topology.js';
import { ensureLabUser, makeLabHome, randomPassword, writeLabShadow } from './user.js';

/** Options of createLab(). */
export interface LabOptions {
  /** Extra sshd_config lines (they win over the lab defaults), e.g. `ClientAliveInterval 5`. */
  readonly sshdOptions?: readonly string[];
}

/** Everything one lab is made of. */
export interface LabParts {
  readonly names: LabNames;
  readonly dir: string;
  readonly clientDir: string;
  readonly knownHostsPath: string;
  readonly firewall: Firewall;
  readonly server: LabServer;
  readonly freezer: Freezer;
  /** Client-side processes spawned through the lab, killed by PID at teardown. */
  readonly clientProcs: Set<ChildProcess>;
  readonly authorizedKeys: string;
  readonly password: string;
  readonly bootId: string;
  /** Removes the lab from the exit-time teardown list. */
  readonly unregister: () => void;
}

/** Builds namespaces, firewall, server files and sshd; on any failure it tears down what it made and rethrows. */
export async function buildLab(opts: LabOptions): Promise<LabParts> {
  reapStaleLabs();
  const who = await ensureLabUser();
  const names = labNames();
  mkdirSync(LAB_ROOT, { recursive: true, mode: 0o755 });
  const dir = join(LAB_ROOT, names.prefix);
  mkdirSync(dir, { mode: 0o755 });
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  const server = new LabServer(names.server, serverPaths(join(dir, 'server')));
  const freezer = new Freezer(names.prefix);
  const clientProcs = new Set<ChildProcess>();
  const partial = { names, dir, server, freezer, clientProcs };
  const unregister = register({ disposeSync: () => teardownLab(partial) });
  try {
    await createTopology(names);
    const firewall = new Firewall(names.fw, await pickIptables(names.fw));
    await firewall.install();
    const clientDir = join(dir, 'client');
    mkdirSync(clientDir, { mode: 0o700 });
    const p = server.paths;
    const authorizedKeys = makeLabHome(p.home, who);
    const password = randomPassword();
    await writeLabShadow(p.shadow, password);
    const bootId = newBootId(p.bootId);
    await generateHostKeys(p.keyDir);
    writeSshdConfig(p.config, p.keyDir, opts.sshdOptions ?? []);
    const knownHostsPath = join(clientDir, 'known_hosts');
    writeFileSync(knownHostsPath, knownHostsLines(p.keyDir));
    await server.startAnchor();
    await server.startSshd();
    return { ...partial, firewall, clientDir, knownHostsPath, authorizedKeys, password, bootId, unregister };
  } catch (err) {
    teardownLab(partial);
    unregister();
    throw err;
  }
}

/** The parts teardown needs (also of a half-built lab). */
type TeardownParts = Pick<LabParts, 'names' | 'dir' | 'server' | 'freezer' | 'clientProcs'>;

/** Kills by PID what the lab started, then whatever is left in its namespaces; deletes namespaces, cgroups, files. */
export function teardownLab(parts: TeardownParts): void {
  parts.freezer.disposeSync();
  for (const child of parts.clientProcs) killQuietly(child.pid);
  parts.clientProcs.clear();
  parts.server.disposeSync();
  for (const ns of [parts.names.client, parts.names.fw]) {
    for (const pid of netnsPids(ns)) killQuietly(pid);
  }
  destroyTopology(parts.names);
  rmSync(parts.dir, { recursive: true, force: true });
}

function killQuietly(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
