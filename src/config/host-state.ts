// What tether learned about each host (idle limit, keep-alive, RTT), kept across runs.
import { TetherError } from '../common/errors.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../common/private-fs.js';

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

/** Opens the learned-state file in `dir` (created 0600 on first write). */
export async function openHostState(dir: string): Promise<HostStateStore> {
  const { default: Conf } = await import('conf');
  let conf: InstanceType<typeof Conf<{ hosts: Record<string, HostState> }>>;
  try {
    ensurePrivateDir(dir); // conf would create it with the umask's 0755
    conf = new Conf<{ hosts: Record<string, HostState> }>({
      cwd: dir,
      configName: 'hosts',
      projectName: 'tether',
      defaults: { hosts: {} },
      clearInvalidConfig: false,
      configFileMode: PRIVATE_FILE_MODE,
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
