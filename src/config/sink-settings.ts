// The log-sink settings (`syslog`, `syslogCa`, `journald`, `otlp`): their values parsed and checked once, here.
import { TetherError } from '../common/errors.js';

/** Where a syslog sink sends: RFC 5426 (udp), RFC 6587 octet counting (tcp), RFC 5425 (tls). */
export interface SyslogTarget {
  transport: 'udp' | 'tcp' | 'tls';
  host: string;
  port: number;
}

/** The string settings of the sinks; '' means off (syslog, otlp) or the system CA store (syslogCa). */
export const SINK_STRING_SETTINGS = ['syslog', 'syslogCa', 'otlp'] as const;
export type SinkStringSetting = (typeof SINK_STRING_SETTINGS)[number];

/** Words that clear a string setting. */
const OFF = /^(|off|none|no|false)$/i;

/** `udp://host:port` | `tcp://host:port` | `tls://host:port` → the target, or undefined when malformed. */
export function parseSyslogUrl(text: string): SyslogTarget | undefined {
  const m = /^(udp|tcp|tls):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})\/?$/.exec(text.trim());
  if (m === null) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  const host = (m[2] ?? '').replace(/^\[(.*)\]$/, '$1');
  return { transport: m[1] as SyslogTarget['transport'], host, port };
}

/** An http(s) URL for OTLP/HTTP, or undefined when it is not one. */
export function parseOtlpUrl(text: string): URL | undefined {
  try {
    const u = new URL(text.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' ? u : undefined;
  } catch {
    return undefined;
  }
}

const bad = (name: string, text: string, expected: string): TetherError =>
  new TetherError('usage', `tether config: ${name} takes ${expected} (or off), not '${text}'`);

/** The stored value for a sink string setting typed on the command line; throws naming the key, the value and the type. */
export function parseSinkSetting(name: SinkStringSetting, text: string): string {
  if (OFF.test(text.trim())) return '';
  switch (name) {
    case 'syslog':
      if (parseSyslogUrl(text) === undefined) throw bad(name, text, 'a URL udp://host:port, tcp://host:port or tls://host:port');
      return text.trim();
    case 'otlp':
      if (parseOtlpUrl(text) === undefined) throw bad(name, text, 'an http:// or https:// URL of an OTLP/HTTP receiver');
      return text.trim();
    case 'syslogCa':
      if (!text.startsWith('/')) throw bad(name, text, 'an absolute path to a PEM file of CA certificates');
      return text;
  }
}

/** JSON schema fragments (conf checks the file on every open, so a hand-edited value is caught too). */
export const SINK_SCHEMA = {
  syslog: { type: 'string', pattern: '^$|^(udp|tcp|tls)://[^\\s/]+:[0-9]{1,5}/?$' },
  syslogCa: { type: 'string', pattern: '^$|^/' },
  journald: { type: 'boolean' },
  otlp: { type: 'string', pattern: '^$|^https?://' },
} as const;

/** The sink settings as the cli hands them to the sinks layer. */
export interface SinkSettings {
  syslog: string;
  syslogCa: string;
  journald: boolean;
  otlp: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_LOGS_ENDPOINT is set: OTLP is on without a setting. */
  otlpFromEnv: boolean;
}

/** Whether any sink is on (checked before anything of the sinks layer is loaded). */
export function anySinkConfigured(s: SinkSettings): boolean {
  return s.syslog !== '' || s.journald || s.otlp !== '' || s.otlpFromEnv;
}
