// A private rsyslogd for tests: TCP (octet counting), TLS (gtls, a test CA made with openssl) and UDP inputs on
// loopback ports, every message written to a file as `msgid|app-name|structured-data|rawmsg`.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One message as rsyslog parsed it. */
export interface Received {
  msgid: string;
  app: string;
  sd: string;
  raw: string;
}

/** A running (or stopped) receiver. */
export interface Rsyslog {
  dir: string;
  tcpPort: number;
  tlsPort: number;
  udpPort: number;
  /** The test CA (PEM file) the TLS input's certificate is signed by. */
  caFile: string;
  received(): Received[];
  /** Waits until at least n messages were received. */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  stop(): Promise<void>;
  /** Starts it again on the same ports. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

/** Why rsyslog tests cannot run here, or undefined when they can. */
export function rsyslogMissing(): string | undefined {
  if (!existsSync('/usr/sbin/rsyslogd')) return 'rsyslogd is not installed (Debian package rsyslog)';
  if (!existsSync('/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so') && !existsSync('/usr/lib/aarch64-linux-gnu/rsyslog/lmnsd_gtls.so'))
    return 'rsyslog has no TLS driver (Debian package rsyslog-gnutls)';
  return undefined;
}

/** A free loopback port (bound and released; rsyslog takes it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** A CA and a server certificate for 127.0.0.1, made with openssl. */
function makeCerts(dir: string): void {
  const ssl = (args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=tether test CA']);
  ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'srv.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl(['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'ext.cnf']);
}

/** Starts rsyslogd in the foreground; `wrap` runs it elsewhere (e.g. inside a lab's client namespace). */
export async function startRsyslog(
  wrap: (cmd: string, args: string[]) => [string, string[]] = (c, a) => [c, a],
): Promise<Rsyslog> {
  const dir = mkdtempSync(join(tmpdir(), 'tether-rsyslog-'));
  makeCerts(dir);
  const [tcpPort, tlsPort, udpPort] = [await freePort(), await freePort(), await freePort()];
  const out = join(dir, 'out.log');
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(
    conf,
    [
      `global(workDirectory="${dir}" defaultNetstreamDriverCAFile="${dir}/ca.pem" defaultNetstreamDriverCertFile="${dir}/cert.pem" defaultNetstreamDriverKeyFile="${dir}/key.pem")`,
      'module(load="imtcp")',
      'module(load="imudp")',
      `input(type="imtcp" port="${tcpPort}" address="127.0.0.1")`,
      `input(type="imtcp" port="${tlsPort}" address="127.0.0.1" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")`,
      `input(type="imudp" port="${udpPort}" address="127.0.0.1")`,
      'template(name="t" type="string" string="%msgid%|%app-name%|%structured-data%|%rawmsg%\\n")',
      `action(type="omfile" file="${out}" template="t")`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  const received = (): Received[] => {
    if (!existsSync(out)) return [];
    return readFileSync(out, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const [msgid = '', app = '', ...rest] = l.split('|');
        const tail = rest.join('|');
        const cut = tail.indexOf(']|<');
        return { msgid, app, sd: tail.slice(0, cut + 1), raw: tail.slice(cut + 2) };
      });
  };
  const start = async (): Promise<void> => {
    const pidFile = join(dir, 'rsyslogd.pid');
    rmSync(pidFile, { force: true });
    const [cmd, args] = wrap('/usr/sbin/rsyslogd', ['-n', '-f', conf, '-i', pidFile]);
    const c = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    let err = '';
    c.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s));
    // listening once the pid file is there and the TCP port answers
    const deadline = Date.now() + 10_000;
    while (!existsSync(pidFile) && Date.now() < deadline) {
      if (c.exitCode !== null) throw new Error(`rsyslogd exited: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    if (c.exitCode !== null || !existsSync(pidFile)) throw new Error(`rsyslogd did not start: ${err}`);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    dir,
    tcpPort,
    tlsPort,
    udpPort,
    caFile: join(dir, 'ca.pem'),
    received,
    async waitFor(n, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received().length < n) {
        if (Date.now() > deadline) throw new Error(`rsyslog received ${received().length} of ${n} messages`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return received();
    },
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The SD-PARAMs of an `[tether@32473 …]` element (values unescaped). */
export function sdParams(sd: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of sd.matchAll(/ ([^= \]"]+)="((?:[^"\\]|\\.)*)"/g)) out[m[1] ?? ''] = (m[2] ?? '').replace(/\\(["\\\]])/g, '$1');
  return out;
}
