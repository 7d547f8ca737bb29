// `tether history --sinks`: one line per configured sink (state, last success, last error, queued), read from disk.
import type { SinkSettings } from '../config/sink-settings.js';
import { parseSyslogUrl } from '../config/sink-settings.js';
import { sinkDir } from './hub.js';
import { logsUrl } from './otlp.js';
import { DiskQueue } from './queue.js';
import { readStatus, statusLine } from './status.js';
import type { SinkName } from './transport.js';

/** The configured sinks and where each sends, without opening any of them. */
export function configuredTargets(s: SinkSettings): { name: SinkName; target: string }[] {
  const out: { name: SinkName; target: string }[] = [];
  if (s.syslog !== '' && parseSyslogUrl(s.syslog)) out.push({ name: 'syslog', target: s.syslog });
  if (s.journald) out.push({ name: 'journald', target: 'journald' });
  if (s.otlp !== '') out.push({ name: 'otlp', target: logsUrl(s.otlp) });
  else if (s.otlpFromEnv) out.push({ name: 'otlp', target: 'OTEL_EXPORTER_OTLP_* endpoint' });
  return out;
}

/** The lines of `tether history --sinks`. */
export async function sinkReport(s: SinkSettings, stateDir: string): Promise<string[]> {
  const lines: string[] = [];
  for (const { name, target } of configuredTargets(s)) {
    const dir = sinkDir(stateDir, name);
    const queued = (await new DiskQueue(dir).list()).length;
    lines.push(statusLine(name, target, await readStatus(dir), queued));
  }
  return lines;
}
