// The dashboard's server: 127.0.0.1 only, a token on every request, the page's files, the history API, and a WebSocket of live sessions.
import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { TetherError, messageOf } from '../common/errors.js';
import type { LiveView } from '../events/live-view.js';
import { AssetCache } from './assets.js';
import { historyAnswer, resetById } from './history-api.js';
import type { HistorySource } from './history-api.js';
import { LiveHub } from './hub.js';

/** What the server serves. */
export interface DashboardServerOptions {
  /** 0: a random free port. */
  port: number;
  token: string;
  liveDir: string;
  history: HistorySource;
}

/** A running dashboard. */
export interface DashboardServer {
  readonly port: number;
  /** The page's address, token included. */
  readonly url: string;
  close(): Promise<void>;
}

/** What the page is told over its socket. */
type PageMessage = { type: 'sessions'; sessions: LiveView[]; now: number } | { type: 'history-changed' };

/** Whether two tokens are equal, in constant time. */
function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Starts listening; rejects with TetherError('usage') when the port is in use. */
export async function startDashboardServer(o: DashboardServerOptions): Promise<DashboardServer> {
  const assets = new AssetCache();
  const pages = new Set<WebSocket>();
  let port = o.port;
  // a page on another name (DNS rebinding) is refused even with the token
  const hostOk = (req: IncomingMessage): boolean => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
  const allowed = (req: IncomingMessage, url: URL): boolean => hostOk(req) && sameToken(url.searchParams.get('token'), o.token);
  const broadcast = (m: PageMessage): void => {
    const text = JSON.stringify(m);
    for (const p of pages) p.send(text);
  };
  const hub = new LiveHub(o.liveDir, o.history.file, {
    onSessions: (sessions) => broadcast({ type: 'sessions', sessions, now: Date.now() }),
    onHistoryChanged: () => broadcast({ type: 'history-changed' }),
  });

  const http = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, 'text/plain; charset=utf-8', `tether dashboard: ${messageOf(err)}\n`));
  });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!allowed(req, url)) return send(res, 403, 'text/plain; charset=utf-8', 'forbidden: open the address tether dashboard printed\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    if (url.pathname === '/api/history') {
      try {
        return json(res, 200, await historyAnswer(o.history, url.searchParams));
      } catch (err) {
        if (err instanceof TetherError && err.kind === 'usage') return json(res, 400, { error: err.message });
        throw err;
      }
    }
    if (url.pathname === '/api/reset') {
      const r = await resetById(o.history, url.searchParams.get('id') ?? '');
      return r ? json(res, 200, r) : json(res, 404, { error: 'no such reset' });
    }
    const a = await assets.get(url.pathname);
    if (!a) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    const body = url.pathname === '/' ? Buffer.from(a.body.toString('utf8').replaceAll('__TOKEN__', o.token)) : a.body;
    send(res, 200, a.type, body);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  wss.on('connection', (ws) => {
    pages.add(ws);
    ws.on('close', () => pages.delete(ws));
    ws.on('error', () => ws.terminate());
    ws.send(JSON.stringify({ type: 'sessions', sessions: hub.list(), now: Date.now() } satisfies PageMessage));
  });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/ws' || !allowed(req, url)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new TetherError('usage', `tether dashboard: port ${o.port} on 127.0.0.1 is in use`, { cause: err }));
      else reject(new TetherError('io', `tether dashboard: cannot listen on 127.0.0.1:${o.port}: ${err.message}`, { cause: err }));
    });
    http.listen(o.port, '127.0.0.1', () => resolve());
  });
  const addr = http.address();
  port = typeof addr === 'object' && addr ? addr.port : o.port;
  hub.start();
  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${o.token}`,
    close: async () => {
      hub.dispose();
      for (const p of pages) p.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Security headers on every answer: no referrer (the token is in the URL), only our own scripts. */
function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}
