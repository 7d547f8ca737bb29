// What tether learned about each host (idle limit, keep-alive, RTT), kept across runs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TetherError } from '../common/errors.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE, unusableFile } from '../common/private-fs.js';
import { MAX_STORE_BYTES } from './paths.js';

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

const FIELDS = ['idleBoundMs', 'idleSurvivedMs', 'keepaliveMs', 'srttMs', 'updatedAt'] as const;

/** The entries of a hosts.json as read: a hand-edited or damaged file keeps only its well-typed numbers. */
function wellTyped(raw: unknown): Record<string, HostState> {
  const out: Record<string, HostState> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [key, entry] of Object.entries(raw)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const st: HostState = {};
    for (const f of FIELDS) {
      const v: unknown = (entry as Record<string, unknown>)[f];
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) st[f] = v;
    }
    out[key] = st;
  }
  return out;
}

/** File name of the learned state in the state dir (conf's `configName`). */
export const HOST_STATE_FILE = 'hosts.json';

/**
 * The learned state read only (for readers such as `tether dashboard`): no conf, so nothing is created or written and
 * no exit hooks are installed; a missing or unreadable file is no state.
 */
export async function readHostStates(dir: string): Promise<Record<string, HostState>> {
  try {
    if (unusableFile(join(dir, HOST_STATE_FILE), MAX_STORE_BYTES) !== undefined) return {};
    const parsed: unknown = JSON.parse(await readFile(join(dir, HOST_STATE_FILE), 'utf8'));
    return wellTyped(typeof parsed === 'object' && parsed !== null && 'hosts' in parsed ? parsed.hosts : undefined);
  } catch {
    return {};
  }
}

/** Opens the learned-state file in `dir` (created 0600 on first write). */
export async function openHostState(dir: string): Promise<HostStateStore> {
  const { default: Conf } = await import('conf');
  let conf: InstanceType<typeof Conf<{ hosts: Record<string, HostState> }>>;
  try {
    ensurePrivateDir(dir); // conf would create it with the umask's 0755
    const why = unusableFile(join(dir, HOST_STATE_FILE), MAX_STORE_BYTES);
    if (why !== undefined) throw new Error(why);
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
  const hosts = (): Record<string, HostState> => wellTyped(conf.get('hosts'));
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
