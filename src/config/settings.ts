// tether's own settings (`tether config get|set|path`), validated once against a schema by conf.
import { TetherError } from '../common/errors.js';
import { parseSinkSetting, SINK_SCHEMA, SINK_STRING_SETTINGS } from './sink-settings.js';
import type { SinkStringSetting } from './sink-settings.js';

/** Every setting with its type and default. */
export interface TetherSettings {
  /** Draw the status bar in interactive sessions. */
  statusBar: boolean;
  /** Keep the bar on the last row all the time (the remote then gets one row less); default: only when it has something to say. */
  pinBar: boolean;
  /** Run interactive sessions inside a remote tmux session. */
  tmux: boolean;
  /** Idle keep-alive interval in ms before anything is learned about a host. */
  keepaliveMs: number;
  /** Upper bound on bytes of typed input held during an outage. */
  heldInputBytes: number;
  /** Send each reset to syslog: `udp://host:port`, `tcp://host:port` or `tls://host:port`; '' = off. */
  syslog: string;
  /** PEM file of CAs for `tls://` syslog; '' = the system's CA store. */
  syslogCa: string;
  /** Send each reset to the systemd journal. */
  journald: boolean;
  /** Send each reset to an OTLP/HTTP receiver at this URL; '' = off (unless OTEL_EXPORTER_OTLP_*ENDPOINT is set). */
  otlp: string;
}

export const DEFAULT_SETTINGS: Readonly<TetherSettings> = {
  statusBar: true,
  pinBar: false,
  tmux: true,
  keepaliveMs: 25_000,
  heldInputBytes: 65_536,
  syslog: '',
  syslogCa: '',
  journald: false,
  otlp: '',
};

const SCHEMA = {
  statusBar: { type: 'boolean' },
  pinBar: { type: 'boolean' },
  tmux: { type: 'boolean' },
  keepaliveMs: { type: 'integer', minimum: 1000, maximum: 3_600_000 },
  heldInputBytes: { type: 'integer', minimum: 0, maximum: 16_777_216 },
  ...SINK_SCHEMA,
} as const;

export type SettingName = keyof TetherSettings;

/** Whether a string names a setting. */
export function isSettingName(s: string): s is SettingName {
  return Object.hasOwn(DEFAULT_SETTINGS, s);
}

/** Parses a value typed on the command line into the setting's type, or throws a usage error naming both. */
export function parseSettingValue(name: SettingName, text: string): TetherSettings[SettingName] {
  const def = DEFAULT_SETTINGS[name];
  if ((SINK_STRING_SETTINGS as readonly string[]).includes(name)) return parseSinkSetting(name as SinkStringSetting, text);
  if (typeof def === 'boolean') {
    if (/^(true|yes|on|1)$/i.test(text)) return true;
    if (/^(false|no|off|0)$/i.test(text)) return false;
    throw new TetherError('usage', `tether config: ${name} takes yes or no, not '${text}'`);
  }
  const n = Number(text);
  const s = SCHEMA[name];
  if (!/^\d+$/.test(text) || !('minimum' in s) || n < s.minimum || n > s.maximum) {
    const range = 'minimum' in s ? ` from ${s.minimum} to ${s.maximum}` : '';
    throw new TetherError('usage', `tether config: ${name} takes a whole number${range}, not '${text}'`);
  }
  return n;
}

/** A settings store on disk (conf is loaded lazily: it is not needed by `tether host cmd`). */
export interface SettingsStore {
  readonly path: string;
  get<K extends SettingName>(name: K): TetherSettings[K];
  set<K extends SettingName>(name: K, value: TetherSettings[K]): void;
  all(): TetherSettings;
}

/** Opens (creating if needed) the settings file in `dir`; a broken file is a config error naming it. */
export async function openSettings(dir: string): Promise<SettingsStore> {
  const { default: Conf } = await import('conf');
  let conf: InstanceType<typeof Conf<TetherSettings>>;
  try {
    conf = new Conf<TetherSettings>({
      cwd: dir,
      configName: 'config',
      projectName: 'tether',
      defaults: { ...DEFAULT_SETTINGS },
      schema: SCHEMA,
      clearInvalidConfig: false,
      configFileMode: 0o600,
    });
  } catch (err) {
    throw new TetherError('config', `tether: ${dir}/config.json: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  return {
    path: conf.path,
    get: (name) => conf.get(name),
    set: (name, value) => conf.set(name, value),
    all: () => ({ ...DEFAULT_SETTINGS, ...conf.store }),
  };
}
