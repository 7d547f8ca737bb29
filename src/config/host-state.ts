// What tether learned about each host (idle limit, keep-alive, RTT), kept across runs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TetherError } from '../common/errors.js';

/** Learned facts about one destination. */
export interface HostState {
  /** The silence (ms) after which the path dropped an idle connection, when known. */
  idleBoundMs?: number;
  /** The longest silence (ms) the path is known to have survived. */
  idleSurvivedMs?: number;
  /** The idle keep-alive interval tether uses for this host (0.5 × bound once learned). */
  keepaliveMs?: number;
  /** Smoothed RTT at the end of the last session. */
  srttMs?: number;
  /** When this entry last changed (epoch ms). */
  updatedAt?: number;
}

/** The key under which a host's state is kept: user@hostname:port. */
export function hostKey(user: string, hostname: string, port: number): string {
  return `${user}@${hostname}:${port}`;
}

/** Per-host learned state on disk. */
export interface HostStateStore {
  readonly path: string;
  get(key: string): HostState;
  update(key: string, patch: HostState): HostState;
  all(): Record<string, HostState>;
}

/** File name of the learned state in the state dir (conf's `configName`). */
export const HOST_STATE_FILE = 'hosts.json';

/**
 * The learned state read only (for readers such as `tether dashboard`): no conf, so nothing is created or written and
 * no exit hooks are installed; a missing or unreadable file is no state.
 */
export async function readHostStates(dir: string): Promise<Record<string, HostState>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(dir, HOST_STATE_FILE), 'utf8'));
    const hosts = typeof parsed === 'object' && parsed !== null && 'hosts' in parsed ? parsed.hosts : undefined;
    return typeof hosts === 'object' && hosts !== null && !Array.isArray(hosts) ? (hosts as Record<string, HostState>) : {};
  } catch {
    return {};
  }
}

/** Opens the learned-state file in `dir` (created 0600 on first write). */
export async function openHostState(dir: string): Promise<HostStateStore> {
  const { default: Conf } = await import('conf');
  let conf: InstanceType<typeof Conf<{ hosts: Record<string, HostState> }>>;
  try {
    conf = new Conf<{ hosts: Record<string, HostState> }>({
      cwd: dir,
      configName: 'hosts',
      projectName: 'tether',
      defaults: { hosts: {} },
      clearInvalidConfig: false,
      configFileMode: 0o600,
      accessPropertiesByDotNotation: false,
    });
  } catch (err) {
    throw new TetherError('config', `tether: ${dir}/hosts.json: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  const hosts = (): Record<string, HostState> => conf.get('hosts');
  return {
    path: conf.path,
    get: (key) => ({ ...hosts()[key] }),
    update: (key, patch) => {
      const all = hosts();
      const next = { ...all[key], ...patch, updatedAt: Date.now() };
      conf.set('hosts', { ...all, [key]: next });
      return next;
    },
    all: () => hosts(),
  };
}
