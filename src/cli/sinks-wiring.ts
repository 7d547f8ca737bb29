// The log sinks for one tether process: opened only when a sink is configured (the sinks layer and the
// OpenTelemetry SDK are loaded lazily), fed by the reset recorder, flushed for a bounded time at exit.
import { messageOf } from '../common/errors.js';
import { anySinkConfigured } from '../config/sink-settings.js';
import type { SinkSettings } from '../config/sink-settings.js';
import type { TetherSettings } from '../config/settings.js';
import type { Sinks } from '../sinks/hub.js';
import { VERSION } from './version.js';

/** Longest wait at exit for sinks still sending; the rest stays queued for the next tether. */
export const EXIT_FLUSH_MS = 1500;

/** The sink settings, with OTLP switched on by the standard OpenTelemetry endpoint variables. */
export function sinkSettings(s: TetherSettings, env: Readonly<Record<string, string | undefined>>): SinkSettings {
  const set = (v: string | undefined): boolean => v !== undefined && v.trim() !== '';
  return {
    syslog: s.syslog,
    syslogCa: s.syslogCa,
    journald: s.journald,
    otlp: s.otlp,
    otlpFromEnv: set(env.OTEL_EXPORTER_OTLP_ENDPOINT) || set(env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT),
  };
}

/** The configured sinks, or undefined when none is (nothing of them loaded then). Never throws: a sink is not worth a session. */
export async function openConfiguredSinks(settings: SinkSettings, stateDir: string, debug: (m: string) => void): Promise<Sinks | undefined> {
  if (!anySinkConfigured(settings)) return undefined;
  try {
    const { openSinks } = await import('../sinks/open.js');
    return await openSinks(settings, { stateDir, version: VERSION });
  } catch (err) {
    debug(`sinks unavailable: ${messageOf(err)}`);
    return undefined;
  }
}
