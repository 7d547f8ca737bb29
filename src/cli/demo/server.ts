// An embedded SSH server on 127.0.0.1 (ssh2's Server, real shells through node-pty) for `tether demo` and tests.
import { spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, PseudoTtyInfo, ServerChannel, Session } from 'ssh2';
import pty from 'node-pty';
import { evidenceScriptKind, slowEvidenceSince } from '../../remote/evidence-script.js';
import { goodKeyPair } from '../../transport/keygen.js';
import { DemoSshdFacts } from './server-facts.js';

const { Server, utils } = ssh2;

/** A running demo server. */
export interface DemoServer {
  readonly port: number;
  /** The server's public host key as an OpenSSH line (`ssh-ed25519 AAAA...`). */
  readonly hostKeyLine: string;
  /** The client's private key (OpenSSH format) the server accepts. */
  readonly clientPrivateKey: string;
  /** How many SSH connections are open now. */
  connectionCount(): number;
  /** Ends every SSH connection with a disconnect, as a restarting sshd does. */
  dropConnections(): void;
  /** An sshd restart begins: every connection ends, the listener is down until start(). */
  stop(): void;
  /** The listener is back as a new master (a new start time); a no-op when it runs. */
  start(): void;
  /** The server's own facts and journal, which answer tether's evidence scripts. */
  readonly facts: DemoSshdFacts;
  close(): Promise<void>;
}

/** Options: the environment the shells run with (e.g. TMUX_TMPDIR for a private tmux). */
export interface DemoServerOptions {
  env: NodeJS.ProcessEnv;
  shell: string;
}

/** Starts the server on 127.0.0.1, port chosen by the OS. */
export async function startDemoServer(opts: DemoServerOptions): Promise<DemoServer> {
  const host = goodKeyPair();
  const client = goodKeyPair({ comment: 'tether-demo' });
  const allowed = utils.parseKey(client.public);
  if (allowed instanceof Error) throw allowed;
  const allowedBlob = allowed.getPublicSSH();
  const conns = new Set<Connection>();
  const facts = new DemoSshdFacts();
  const server = new Server({ hostKeys: [host.private] }, (conn) => {
    // a stopped listener accepts nothing (the fault proxy refuses in front of it too)
    if (!facts.listening) return void conn.end();
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    conn.on('error', () => conns.delete(conn));
    conn.on('authentication', (ctx) => {
      if (
        ctx.method === 'publickey' &&
        ctx.key.algo === allowed.type &&
        ctx.key.data.length === allowedBlob.length &&
        timingSafeEqual(ctx.key.data, allowedBlob)
      ) {
        if (!ctx.signature) return ctx.accept();
        if (ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      }
      ctx.reject(['publickey']);
    });
    conn.on('ready', () => {
      conn.on('session', (accept) => serveSession(accept(), opts, facts));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    hostKeyLine: host.public.trim(),
    clientPrivateKey: client.private,
    facts,
    connectionCount: () => conns.size,
    dropConnections: () => {
      for (const c of conns) c.end();
    },
    stop: () => {
      facts.stop();
      for (const c of conns) c.end();
    },
    start: () => facts.start(port),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of conns) c.end();
        server.close(() => resolve());
      }),
  };
}

/** One session channel: pty, env, window-change, then a shell or a command. */
function serveSession(session: Session, opts: DemoServerOptions, facts: DemoSshdFacts): void {
  let ptyInfo: PseudoTtyInfo | undefined;
  const env: NodeJS.ProcessEnv = { ...opts.env };
  let resize: ((cols: number, rows: number) => void) | undefined;
  session.on('pty', (accept, _reject, info) => {
    ptyInfo = info;
    accept?.();
  });
  session.on('env', (accept, _reject, info) => {
    env[info.key] = info.val;
    accept?.();
  });
  session.on('window-change', (accept, _reject, info) => {
    resize?.(info.cols, info.rows);
    accept?.();
  });
  const run = (ch: ServerChannel, command: string | undefined): void => {
    const args = command === undefined ? ['-l'] : ['-c', command];
    if (ptyInfo) {
      const p = pty.spawn(opts.shell, args, {
        name: ptyInfo.term || 'xterm-256color',
        cols: ptyInfo.cols || 80,
        rows: ptyInfo.rows || 24,
        cwd: env.HOME ?? process.cwd(),
        env: { ...env, TERM: ptyInfo.term || 'xterm-256color' } as Record<string, string>,
      });
      resize = (cols, rows) => p.resize(Math.max(cols, 1), Math.max(rows, 1));
      p.onData((d) => ch.write(d));
      ch.on('data', (d: Buffer) => p.write(d));
      p.onExit(({ exitCode }) => {
        ch.exit(exitCode);
        ch.end();
      });
      ch.on('close', () => p.kill());
    } else {
      const child = spawn(opts.shell, args, { env, cwd: env.HOME ?? process.cwd(), stdio: 'pipe' });
      child.stdout.pipe(ch, { end: false });
      child.stderr.pipe(ch.stderr, { end: false });
      ch.pipe(child.stdin);
      child.on('close', (code) => {
        ch.exit(code ?? 255);
        ch.end();
      });
      ch.on('close', () => child.kill());
    }
  };
  session.on('shell', (accept) => run(accept(), undefined));
  session.on('exec', (accept, _reject, info) => {
    const kind = evidenceScriptKind(info.command);
    if (kind === 'slow') return void answer(accept(), facts.slowAnswer(slowEvidenceSince(info.command) ?? 0), 0);
    if (kind === 'fast') return void answerFast(accept(), info.command, env, opts, facts);
    run(accept(), info.command);
  });
}

/** Writes an answer the server made itself, then the exit status. */
function answer(ch: ServerChannel, text: string, code: number): void {
  ch.write(text);
  ch.exit(code);
  ch.end();
}

/** The fast evidence script runs on this machine (boot, uptime, tmux are the demo host's), its sshd lines are the server's own. */
function answerFast(ch: ServerChannel, command: string, env: NodeJS.ProcessEnv, opts: DemoServerOptions, facts: DemoSshdFacts): void {
  const child = spawn(opts.shell, ['-c', command], { env, cwd: env.HOME ?? process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.pipe(ch.stderr, { end: false });
  child.on('close', (code) => answer(ch, facts.fastAnswer(Buffer.concat(out).toString()), code ?? 255));
  child.on('error', () => answer(ch, '', 255));
  ch.on('close', () => child.kill());
}
