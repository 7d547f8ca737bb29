// From the sink settings to the running sinks of this process.
import { hostname } from 'node:os';
import type { SinkSettings } from '../config/sink-settings.js';
import { parseSyslogUrl } from '../config/sink-settings.js';
import { Sinks } from './hub.js';
import { JournaldSink } from './journald.js';
import type { Backoff } from './lane.js';
import { localMachineId } from './machine-id.js';
import { OtlpSink } from './otlp.js';
import { SyslogSink } from './syslog.js';
import type { SinkTransport } from './transport.js';

/** What the sinks need besides their settings. */
export interface OpenSinksOptions {
  stateDir: string;
  version: string;
  backoff?: Backoff;
  maxEvents?: number;
  /** /etc/machine-id, replaceable in tests. */
  systemMachineIdFile?: string;
}

/** The transports the settings ask for (a value that no longer parses was rejected by config; it is skipped here). */
export function transportsFor(s: SinkSettings, machineId: string, version: string): SinkTransport[] {
  const out: SinkTransport[] = [];
  const target = s.syslog === '' ? undefined : parseSyslogUrl(s.syslog);
  if (target) out.push(new SyslogSink({ target, ...(s.syslogCa === '' ? {} : { caFile: s.syslogCa }) }));
  if (s.journald) out.push(new JournaldSink());
  if (s.otlp !== '' || s.otlpFromEnv) out.push(new OtlpSink({ ...(s.otlp === '' ? {} : { url: s.otlp }), version, machineId }));
  return out;
}

/** Opens the configured sinks and starts sending what earlier processes left queued. */
export async function openSinks(s: SinkSettings, o: OpenSinksOptions): Promise<Sinks> {
  const machineId = await localMachineId(o.stateDir, o.systemMachineIdFile);
  const sinks = new Sinks({
    stateDir: o.stateDir,
    transports: transportsFor(s, machineId, o.version),
    origin: { version: o.version, machineId, localHost: hostname() },
    ...(o.backoff ? { backoff: o.backoff } : {}),
    ...(o.maxEvents === undefined ? {} : { maxEvents: o.maxEvents }),
  });
  sinks.start();
  return sinks;
}
