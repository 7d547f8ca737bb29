// The SOCKS side of -D, pure of SSH: read a SOCKS4/4a/5 CONNECT request from a socket (no authentication), and the
// replies that go back. Other commands are refused as ssh refuses them.
import type { Socket } from 'node:net';

/** A CONNECT request. */
export interface SocksRequest {
  readonly version: 4 | 5;
  readonly host: string;
  readonly port: number;
}

/** Reads exactly n bytes from a paused socket (undefined when it ends first). */
class ByteReader {
  /** Bytes received but not yet consumed. */
  private buffered = Buffer.alloc(0);
  /** The pending read, if any. */
  private want: { n: number; resolve: (b: Buffer | undefined) => void } | undefined;
  /** Set when the socket ended or failed. */
  private ended = false;

  constructor(private readonly socket: Socket) {
    socket.on('data', this.onData);
    socket.once('close', this.onEnd);
    socket.once('end', this.onEnd);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    this.pump();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.pump();
  };

  private pump(): void {
    if (!this.want) return;
    if (this.buffered.length >= this.want.n) {
      const out = this.buffered.subarray(0, this.want.n);
      this.buffered = this.buffered.subarray(this.want.n);
      const { resolve } = this.want;
      this.want = undefined;
      resolve(out);
    } else if (this.ended) {
      const { resolve } = this.want;
      this.want = undefined;
      resolve(undefined);
    }
  }

  read(n: number): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      this.want = { n, resolve };
      this.pump();
    });
  }

  /** Reads up to and including a NUL byte; returns the bytes before it. */
  async readZ(max = 1024): Promise<Buffer | undefined> {
    const parts: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = await this.read(1);
      if (!b) return undefined;
      if (b[0] === 0) return Buffer.from(parts);
      parts.push(b[0] ?? 0);
    }
    return undefined;
  }

  /** Stops reading and puts unconsumed bytes back in front of the stream. */
  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('close', this.onEnd);
    this.socket.off('end', this.onEnd);
    this.socket.pause();
    if (this.buffered.length > 0) this.socket.unshift(this.buffered);
  }
}

/** Reads the greeting and CONNECT request, answering the SOCKS5 method negotiation; undefined when refused/invalid
 * (a refusal reply has then been sent). The socket is left paused, ready to be spliced. */
export async function readSocksRequest(socket: Socket): Promise<SocksRequest | undefined> {
  const r = new ByteReader(socket);
  socket.resume();
  try {
    const head = await r.read(1);
    if (head?.[0] === 4) return await readSocks4(r, socket);
    if (head?.[0] === 5) return await readSocks5(r, socket);
    return undefined;
  } finally {
    r.detach();
  }
}

async function readSocks4(r: ByteReader, socket: Socket): Promise<SocksRequest | undefined> {
  const fixed = await r.read(7);
  if (!fixed) return undefined;
  const cmd = fixed[0];
  const port = fixed.readUInt16BE(1);
  const ip = [...fixed.subarray(3, 7)];
  if ((await r.readZ()) === undefined) return undefined; // user id, ignored
  let host = ip.join('.');
  if (ip[0] === 0 && ip[1] === 0 && ip[2] === 0 && ip[3] !== 0) {
    const name = await r.readZ(); // SOCKS4a: the host name follows
    if (!name) return undefined;
    host = name.toString('latin1');
  }
  if (cmd !== 1) {
    socket.write(socks4Reply(false));
    return undefined;
  }
  return { version: 4, host, port };
}

async function readSocks5(r: ByteReader, socket: Socket): Promise<SocksRequest | undefined> {
  const n = await r.read(1);
  const methods = n ? await r.read(n[0] ?? 0) : undefined;
  if (!methods) return undefined;
  if (!methods.includes(0)) {
    socket.write(Buffer.from([5, 0xff]));
    return undefined;
  }
  socket.write(Buffer.from([5, 0]));
  const req = await r.read(4);
  if (!req || req[0] !== 5) return undefined;
  let host: string | undefined;
  if (req[3] === 1) host = [...((await r.read(4)) ?? [])].join('.');
  else if (req[3] === 3) {
    const len = await r.read(1);
    host = len ? (await r.read(len[0] ?? 0))?.toString('latin1') : undefined;
  } else if (req[3] === 4) {
    const raw = await r.read(16);
    host = raw ? (raw.toString('hex').match(/.{4}/g) ?? []).join(':') : undefined;
  }
  const portBuf = await r.read(2);
  if (host === undefined || !portBuf) return undefined;
  if (req[1] !== 1) {
    socket.write(socks5Reply(7));
    return undefined;
  }
  return { version: 5, host, port: portBuf.readUInt16BE(0) };
}

/** The SOCKS4 reply: granted (0x5a) or rejected (0x5b). */
export function socks4Reply(granted: boolean): Buffer {
  return Buffer.from([0, granted ? 0x5a : 0x5b, 0, 0, 0, 0, 0, 0]);
}

/** The SOCKS5 reply with a status (0 success, 1 general failure, 5 refused, 7 command not supported). */
export function socks5Reply(status: number): Buffer {
  return Buffer.from([5, status, 0, 1, 0, 0, 0, 0, 0, 0]);
}
