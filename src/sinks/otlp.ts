// The OTLP sink: OTLP/HTTP logs through the OpenTelemetry JS SDK's exporter, which honours the standard
// OTEL_EXPORTER_OTLP_* variables (endpoint, headers, timeout) and OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME.
// The SDK is loaded lazily, when the sink is opened, so a session without this sink never loads it.
import type { Logger } from '@opentelemetry/api-logs';
import type { LogRecordExporter, LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import type { ResetEvent } from './event.js';
import { eventFields, eventMessage, isLoss } from './event.js';
import type { SinkTransport } from './transport.js';

/** How the OTLP sink is set up. */
export interface OtlpOptions {
  /** From `tether config set otlp`; undefined = the exporter's own OTEL_EXPORTER_OTLP_(LOGS_)ENDPOINT. */
  url?: string;
  /** tether's version and this machine's id, for the resource. */
  version: string;
  machineId: string;
  /** One export's bound, retries included. */
  timeoutMs?: number;
}

/** A bare endpoint (`http://collector:4318`) gets the logs path, as OTEL_EXPORTER_OTLP_ENDPOINT does. */
export function logsUrl(url: string): string {
  const u = new URL(url);
  if (u.pathname === '' || u.pathname === '/') u.pathname = '/v1/logs';
  return u.toString();
}

/** api-logs' SeverityNumber.WARN and .INFO (the enum is a runtime value; the numbers are the OTLP wire values). */
const SEVERITY_WARN = 13;
const SEVERITY_INFO = 9;

/** `detectedAt` → `tether.detected_at`. */
const attrName = (k: string): string => `tether.${k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}`;

/** The log record's attributes: every field as a typed attribute, plus the semantic-convention server ones. */
export function otlpAttributes(e: ResetEvent): Record<string, string | number> {
  const out: Record<string, string | number> = { 'server.address': e.hostname, 'server.port': e.port };
  // hostname and port are the semantic-convention server.* attributes; version and machine id are resource attributes
  const resource = new Set(['hostname', 'port', 'version', 'machineId']);
  out[attrName('messageId')] = e.messageId;
  for (const [k, v] of eventFields(e)) if (!resource.has(k)) out[attrName(k)] = v;
  return out;
}

/** The loaded SDK: a logger whose records we collect, and the exporter we hand them to ourselves (to learn the result). */
interface Loaded {
  logger: Logger;
  emitted: SdkLogRecord[];
  exporter: LogRecordExporter;
}

/** Sends each event as one OTLP log record and waits for the receiver's answer. */
export class OtlpSink implements SinkTransport {
  readonly name = 'otlp';
  readonly target: string;
  private readonly loaded: Promise<Loaded>;

  constructor(private readonly opts: OtlpOptions) {
    this.target = opts.url === undefined ? 'OTEL_EXPORTER_OTLP_* endpoint' : logsUrl(opts.url);
    this.loaded = this.load();
    // a failure to load is reported by the first send
    this.loaded.catch(() => undefined);
  }

  private async load(): Promise<Loaded> {
    const [{ OTLPLogExporter }, { LoggerProvider }, res] = await Promise.all([
      import('@opentelemetry/exporter-logs-otlp-http'),
      import('@opentelemetry/sdk-logs'),
      import('@opentelemetry/resources'),
    ]);
    const emitted: SdkLogRecord[] = [];
    const collect: LogRecordProcessor = {
      onEmit: (r) => void emitted.push(r),
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    // ours first, then the environment's (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES win)
    const resource = res
      .defaultResource()
      .merge(res.resourceFromAttributes({ 'service.name': 'tether', 'service.version': this.opts.version, 'host.id': this.opts.machineId }))
      .merge(res.detectResources({ detectors: [res.envDetector] }));
    const provider = new LoggerProvider({ resource, processors: [collect] });
    const exporter = new OTLPLogExporter({
      ...(this.opts.url === undefined ? {} : { url: logsUrl(this.opts.url) }),
      timeoutMillis: this.opts.timeoutMs ?? 5000,
    });
    return { logger: provider.getLogger('tether', this.opts.version), emitted, exporter };
  }

  async send(event: ResetEvent): Promise<void> {
    const { logger, emitted, exporter } = await this.loaded;
    logger.emit({
      eventName: 'tether.reset',
      timestamp: new Date(event.detectedAt),
      severityNumber: isLoss(event) ? SEVERITY_WARN : SEVERITY_INFO,
      severityText: isLoss(event) ? 'WARN' : 'INFO',
      body: eventMessage(event),
      attributes: otlpAttributes(event),
    });
    const records = emitted.splice(0);
    await new Promise<void>((resolve, reject) => {
      exporter.export(records, (r) => {
        if (r.code === 0) resolve();
        else reject(new Error(`${this.target}: ${r.error?.message ?? 'export failed'}`, { cause: r.error }));
      });
    });
  }

  close(): void {
    void this.loaded.then((l) => l.exporter.shutdown()).catch(() => undefined);
  }
}
