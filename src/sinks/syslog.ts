// The syslog sink: RFC 5424 lines over UDP (RFC 5426), TCP with octet counting (RFC 6587) or TLS (RFC 5425).
import { createSocket } from 'node:dgram';
import type { Socket as DgramSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { isIP, connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates } from 'node:tls';
import { messageOf } from '../common/errors.js';
import type { SyslogTarget } from '../config/sink-settings.js';
import type { ResetEvent } from './event.js';
import { formatRfc5424, octetFrame } from './rfc5424.js';
import type { SinkTransport } from './transport.js';

/** Where Debian and its kin keep the system's CA bundle (Node 20 otherwise trusts only its own copy of Mozilla's). */
const SYSTEM_CA_FILE = '/etc/ssl/certs/ca-certificates.crt';

/** How a syslog sink is set up. */
export interface SyslogOptions {
  target: SyslogTarget;
  /** PEM file of CAs for tls://; undefined = the system's store. */
  caFile?: string;
  /** Longest wait for a connection (a black-holed receiver must not hold the queue longer). */
  connectTimeoutMs?: number;
  pid?: number;
}

/** The CAs a tls:// sink trusts: the given file, or Node's roots plus the system bundle where it exists. */
async function trustedCas(caFile: string | undefined): Promise<string[]> {
  if (caFile !== undefined) return [await readFile(caFile, 'utf8')];
  const system = await readFile(SYSTEM_CA_FILE, 'utf8').catch(() => undefined);
  return system === undefined ? [...rootCertificates] : [...rootCertificates, system];
}

/** A syslog receiver; one connection kept while it works, a new one after any error. */
export class SyslogSink implements SinkTransport {
  readonly name = 'syslog';
  readonly target: string;
  /** The open stream (tcp/tls), if any. */
  private stream: Socket | undefined;
  /** The connected datagram socket (udp), if any. */
  private dgram: DgramSocket | undefined;
  private readonly pid: number;

  constructor(private readonly opts: SyslogOptions) {
    const { transport, host, port } = opts.target;
    this.target = `${transport}://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
    this.pid = opts.pid ?? process.pid;
  }

  async send(event: ResetEvent): Promise<void> {
    const line = formatRfc5424(event, this.pid);
    try {
      if (this.opts.target.transport === 'udp') await this.sendDatagram(Buffer.from(line, 'utf8'));
      else await this.sendStream(octetFrame(line));
    } catch (err) {
      this.stream?.destroy();
      this.close();
      throw new Error(`${this.target}: ${messageOf(err)}`, { cause: err });
    }
  }

  close(): void {
    const s = this.stream;
    // end() first: over TLS it sends close_notify, so the receiver sees an orderly close, not a truncation
    if (s !== undefined) {
      s.end();
      setTimeout(() => s.destroy(), 1000).unref();
    }
    this.stream = undefined;
    this.dgram?.close();
    this.dgram = undefined;
  }

  private async sendStream(frame: Buffer): Promise<void> {
    const s = this.stream !== undefined && this.stream.writable && !this.stream.destroyed ? this.stream : await this.open();
    await new Promise<void>((resolve, reject) => {
      s.write(frame, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** A new connection, unref'd so that it never keeps tether running. */
  private async open(): Promise<Socket> {
    const { transport, host, port } = this.opts.target;
    const ca = transport === 'tls' ? await trustedCas(this.opts.caFile) : undefined;
    const s: Socket =
      transport === 'tls'
        ? tlsConnect({ host, port, ca, ...(isIP(host) === 0 ? { servername: host } : {}) })
        : netConnect({ host, port });
    const ready = transport === 'tls' ? 'secureConnect' : 'connect';
    s.unref();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('connect timed out')), this.opts.connectTimeoutMs ?? 5000);
      timer.unref();
      s.once(ready, () => {
        clearTimeout(timer);
        resolve();
      });
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    }).catch((err: unknown) => {
      s.destroy();
      throw err;
    });
    // later errors end this connection; the next send opens another
    s.on('error', () => s.destroy());
    s.on('close', () => {
      if (this.stream === s) this.stream = undefined;
    });
    // a receiver never writes to us; reading keeps an orderly close (FIN) from going unnoticed
    s.on('data', () => undefined);
    this.stream = s;
    return s;
  }

  private async sendDatagram(buf: Buffer): Promise<void> {
    const { host, port } = this.opts.target;
    if (this.dgram === undefined) {
      const sock = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
      sock.on('error', () => {
        if (this.dgram === sock) this.close();
      });
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.connect(port, host, () => {
          sock.off('error', reject);
          resolve();
        });
      });
      sock.unref();
      this.dgram = sock;
    }
    const sock = this.dgram;
    // a connected UDP socket reports an earlier ICMP port-unreachable as ECONNREFUSED here: the only sign UDP gives
    await new Promise<void>((resolve, reject) => sock.send(buf, (err) => (err ? reject(err) : resolve())));
  }
}
