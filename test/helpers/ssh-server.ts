// An in-process SSH server (ssh2's Server) on 127.0.0.1 port 0 for integration tests: configurable auth, host key and
// algorithms; exec runs real commands; direct-tcpip and tcpip-forward work; and faults on demand (close or reset
// before the banner, reset, clean end, stall).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer, connect as netConnect } from 'node:net';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { Algorithms, AuthContext, Connection, ParsedKey, PseudoTtyInfo, ServerChannel } from 'ssh2';
import { goodKeyPair } from '../../src/transport/keygen.js';

/** A fault the server applies to new connections. */
export type Behaviour = 'normal' | 'close-before-banner' | 'reset-before-banner' | 'silent';

export interface TestServerOptions {
  /** Private host key (OpenSSH format); a fresh ed25519 key by default. */
  hostKey?: string;
  /** Accepted public keys (`ssh-ed25519 AAAA...` lines) for any user. */
  publicKeys?: string[];
  /** Accepted password for any user. */
  password?: string;
  /** keyboard-interactive: the prompts asked and the answers expected. */
  keyboard?: { prompts: { prompt: string; echo: boolean }[]; answers: string[] };
  /** Methods advertised in USERAUTH_FAILURE (default: those configured). */
  methods?: string[];
  algorithms?: Algorithms;
  behaviour?: Behaviour;
  ident?: string;
  /** A pre-login banner (sshd's Banner). */
  banner?: string;
}

/** What a session asked for, for assertions. */
export interface SessionRecord {
  env: Record<string, string>;
  pty?: PseudoTtyInfo;
  windowChanges: { rows: number; cols: number }[];
  command?: string;
  agentForward: boolean;
}

export interface TestServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The host key's wire blob (what a client pins / known_hosts stores). */
  readonly hostKeyBlob: Buffer;
  readonly hostKeyType: string;
  /** Auth attempts seen, in order (`method:user`). */
  readonly authLog: string[];
  readonly sessions: SessionRecord[];
  /** Raw TCP sockets currently open. */
  readonly sockets: ReadonlySet<Socket>;
  behaviour: Behaviour;
  /** Sends RST on every open connection. */
  resetAll(): void;
  /** Ends every connection cleanly (TCP FIN). */
  endAll(): void;
  /** Stops reading from every open connection (a stalled peer: nothing is answered). */
  stallAll(): void;
  close(): Promise<void>;
}

/** Generates an ed25519 key pair in OpenSSH formats. */
export function makeKeyPair(passphrase?: string): { private: string; public: string } {
  return goodKeyPair(passphrase === undefined ? {} : { passphrase });
}

function parsed(text: string): ParsedKey {
  const key = ssh2.utils.parseKey(text);
  if (key instanceof Error) throw key;
  return Array.isArray(key) ? (key as ParsedKey[])[0] as ParsedKey : key;
}

/** Starts a server; close() stops it, its sockets and every child process it ran. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const hostKeyText = options.hostKey ?? makeKeyPair().private;
  const hostKey = parsed(hostKeyText);
  const publicKeys = (options.publicKeys ?? []).map(parsed);
  const configured = [
    ...(publicKeys.length ? ['publickey'] : []),
    ...(options.keyboard ? ['keyboard-interactive'] : []),
    ...(options.password !== undefined ? ['password'] : []),
  ];
  const methods = (options.methods ?? configured) as AuthContext['method'][];
  const sockets = new Set<Socket>();
  const children = new Set<ChildProcess>();
  const listeners = new Set<NetServer>();
  const authLog: string[] = [];
  const sessions: SessionRecord[] = [];

  const sshServer = new ssh2.Server(
    { hostKeys: [hostKeyText], ...(options.algorithms ? { algorithms: options.algorithms } : {}), ...(options.ident ? { ident: options.ident } : {}), ...(options.banner ? { banner: options.banner } : {}) },
    (conn: Connection) => {
      conn.on('error', () => undefined);
      conn.on('authentication', (ctx) => onAuth(ctx));
      conn.on('ready', () => {
        conn.on('session', (accept) => onSession(accept()));
        conn.on('tcpip', (accept, reject, info) => {
          const out = netConnect(info.destPort, info.destIP);
          out.once('connect', () => {
            const ch = accept();
            ch.pipe(out).pipe(ch);
            ch.on('error', () => out.destroy());
          });
          out.once('error', () => reject());
        });
        conn.on('request', (accept, reject, name, info) => {
          if (name !== 'tcpip-forward' || !('bindPort' in info)) return reject?.();
          const listener = createServer((sock) => {
            // Report the port actually bound, as OpenSSH does for a request of port 0.
            const bound = (listener.address() as AddressInfo).port;
            conn.forwardOut(info.bindAddr, bound, sock.remoteAddress ?? '', sock.remotePort ?? 0, (err, ch) => {
              if (err) return sock.destroy();
              sock.pipe(ch).pipe(sock);
              sock.on('error', () => ch.destroy());
            });
          });
          listeners.add(listener);
          listener.on('error', () => reject?.());
          listener.listen(info.bindPort, '127.0.0.1', () => accept?.((listener.address() as AddressInfo).port));
        });
      });
    },
  );

  function onAuth(ctx: AuthContext): void {
    authLog.push(`${ctx.method}:${ctx.username}`);
    if (ctx.method === 'publickey' && methods.includes('publickey')) {
      const key = publicKeys.find((k) => k.getPublicSSH().equals(ctx.key.data));
      if (key && (!ctx.signature || (ctx.blob && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo)))) return ctx.accept();
    } else if (ctx.method === 'password' && methods.includes('password')) {
      if (ctx.password === options.password) return ctx.accept();
    } else if (ctx.method === 'keyboard-interactive' && options.keyboard && methods.includes('keyboard-interactive')) {
      const kbd = options.keyboard;
      return ctx.prompt(kbd.prompts, 'Test login', 'Answer the questions.', (answers) => {
        if (answers.join('\n') === kbd.answers.join('\n')) ctx.accept();
        else ctx.reject(methods);
      });
    }
    ctx.reject(methods);
  }

  function onSession(session: ssh2.Session): void {
    const record: SessionRecord = { env: {}, windowChanges: [], agentForward: false };
    sessions.push(record);
    session.on('env', (accept, _reject, info) => {
      record.env[info.key] = info.val;
      accept?.();
    });
    session.on('pty', (accept, _reject, info) => {
      record.pty = info;
      accept?.();
    });
    session.on('window-change', (accept, _reject, info) => {
      record.windowChanges.push({ rows: info.rows, cols: info.cols });
      accept?.();
    });
    session.on('auth-agent', (accept) => {
      record.agentForward = true;
      accept?.();
    });
    session.on('exec', (accept, _reject, info) => {
      record.command = info.command;
      run(accept(), ['-c', info.command], record.env);
    });
    session.on('shell', (accept) => run(accept(), [], record.env));
    // A test subsystem: `echo` runs cat; any other name is refused.
    session.on('subsystem', (accept, reject, info) => {
      record.command = `subsystem:${info.name}`;
      if (info.name === 'echo') run(accept(), ['-c', 'cat'], record.env);
      else reject();
    });
  }

  function run(stream: ServerChannel, args: string[], env: Record<string, string>): void {
    const child = spawn('/bin/sh', args, { env: { ...process.env, ...env }, stdio: 'pipe' });
    children.add(child);
    child.stdout.pipe(stream, { end: false });
    child.stderr.pipe(stream.stderr, { end: false });
    stream.pipe(child.stdin);
    stream.on('error', () => undefined);
    child.stdin.on('error', () => undefined);
    child.on('close', (code, signal) => {
      children.delete(child);
      if (signal) stream.exit(signal.replace(/^SIG/, ''), false, '');
      else stream.exit(code ?? 0);
      stream.end();
    });
  }

  const tcp = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    switch (server.behaviour) {
      case 'close-before-banner':
        return void sock.end();
      case 'reset-before-banner':
        // A moment later, as a real server would after accept(): the client has seen its connect complete.
        return void setTimeout(() => sock.resetAndDestroy(), 30);
      case 'silent':
        return;
      case 'normal':
        sshServer.injectSocket(sock);
    }
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));

  const server: TestServer = {
    host: '127.0.0.1',
    port: (tcp.address() as AddressInfo).port,
    hostKeyBlob: hostKey.getPublicSSH(),
    hostKeyType: hostKey.type,
    authLog,
    sessions,
    sockets,
    behaviour: options.behaviour ?? 'normal',
    resetAll: () => {
      for (const s of sockets) s.resetAndDestroy();
    },
    endAll: () => {
      for (const s of sockets) s.end();
    },
    stallAll: () => {
      for (const s of sockets) s.pause();
    },
    close: async () => {
      for (const child of children) if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      for (const l of listeners) l.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
  return server;
}


export { ScriptedPrompter, testConfig } from './transport-fixtures.js';
