// Runs the built `bin/tether` (and, for comparison, OpenSSH's `ssh`) non-interactively inside a fault lab's client
// namespace, with stdio as raw bytes: for the foundation's proof (test/lab/foundation-*.test.ts).
import { chmodSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Lab } from '../lab/index.js';
import { REPO } from './tether-lab.js';

/** What a finished client left: exit status (null when a signal ended it), stdout bytes, stderr text. */
export interface ClientResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** How to run a client. */
export interface ClientRunOptions {
  /** Bytes for stdin (default: empty stdin, closed at once). */
  readonly input?: string | Buffer;
  /** A file to connect to stdin instead (for large inputs). */
  readonly inputFile?: string;
  /** Extra environment (on top of the clean one from cleanEnv). */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill after this long (default 60 s). */
  readonly timeoutMs?: number;
}

/** The path of bin/tether (runs dist/tether.cjs: `npm run build` first). */
export const TETHER_BIN = join(REPO, 'bin', 'tether');

/** A scratch directory removed in t.after. */
export function tempDir(t: TestContext, tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tether-found-${tag}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A clean environment for a client: no SSH_AUTH_SOCK, no DISPLAY, no askpass, HOME and the XDG homes in `home`
 * (tether's history and settings never touch the real ones). Extra variables on top.
 */
export function cleanEnv(home: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    USER: 'root',
    LANG: 'C',
    XDG_STATE_HOME: join(home, 'state'),
    XDG_CONFIG_HOME: join(home, 'config'),
    ...extra,
  };
}

/** Runs `cmd args` in the client namespace with stdio as bytes; tracked by the lab (killed on dispose). */
export function runInClient(lab: Lab, home: string, cmd: string, args: readonly string[], opts: ClientRunOptions = {}): Promise<ClientResult> {
  const inFd = opts.inputFile === undefined ? undefined : openSync(opts.inputFile, 'r');
  const child = lab.spawnInClient(cmd, args, {
    env: cleanEnv(home, opts.env),
    cwd: home,
    stdio: [inFd ?? 'pipe', 'pipe', 'pipe'],
  });
  if (inFd !== undefined) closeSync(inFd);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (d: Buffer) => out.push(d));
  child.stderr?.on('data', (d: Buffer) => err.push(d));
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(opts.input ?? '');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    };
    child.once('close', done);
    // a grandchild that still holds our pipes must not hold the test: 2 s after the exit, take what came
    child.once('exit', (code, signal) => {
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        done(code, signal);
      }, 2000).unref();
    });
  });
}

/** Runs `node bin/tether ...argv` in the client namespace, once. */
export function tetherInClient(lab: Lab, home: string, argv: readonly string[], opts: ClientRunOptions = {}): Promise<ClientResult> {
  return runInClient(lab, home, process.execPath, [TETHER_BIN, ...argv], opts);
}

/** Runs OpenSSH's `ssh ...argv` in the client namespace (the reference). */
export function sshInClientRaw(lab: Lab, home: string, argv: readonly string[], opts: ClientRunOptions = {}): Promise<ClientResult> {
  return runInClient(lab, home, 'ssh', argv, opts);
}

/**
 * The options every foundation run starts with: no user config, the lab's known_hosts, strict checking, no agent.
 * `knownHosts` overrides the file (e.g. an empty one for the host-key tests).
 */
export function baseOptions(lab: Lab, knownHosts: string = lab.knownHostsPath): string[] {
  return [
    '-F', '/dev/null',
    '-o', `UserKnownHostsFile=${knownHosts}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'UpdateHostKeys=no',
    '-o', 'ConnectTimeout=10',
  ];
}

/** baseOptions plus the lab's unencrypted client key only (`-i KEY -o IdentitiesOnly=yes`) and BatchMode. */
export function keyOptions(lab: Lab, knownHosts?: string): string[] {
  return [...baseOptions(lab, knownHosts), '-i', lab.clientKey.privatePath, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes'];
}

/** `tetherlab@198.18.2.2`. */
export function dest(lab: Lab): string {
  return `${lab.user}@${lab.serverAddr}`;
}

/** Writes an SSH_ASKPASS script in `dir` that prints `secret` (and logs each prompt it got to `<script>.log`). */
export function writeAskpass(dir: string, secret: string): { path: string; log: string } {
  const path = join(dir, 'askpass.sh');
  const log = `${path}.log`;
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$1" >> ${q(log)}\nprintf '%s\\n' ${q(secret)}\n`);
  chmodSync(path, 0o755);
  return { path, log };
}

/** The first `n` lines of a text, for diagnostics and the report. */
export function head(text: string | Buffer, n = 3): string {
  const s = text.toString().split('\n').slice(0, n).join(' | ');
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}

/** One line for the lab report: the command, its exit status and the first lines it printed. */
export function report(t: TestContext, what: string, argv: readonly string[], r: ClientResult, prog = 'tether'): void {
  const line = `[foundation] ${what}: ${prog} ${argv.join(' ')} -> exit ${r.code ?? r.signal}; stdout: ${JSON.stringify(head(r.stdout))}; stderr: ${JSON.stringify(head(r.stderr))}`;
  t.diagnostic(line);
}


/**
 * Starts an ssh-agent in the client namespace on `sock` (stopped when `t` ends), waits until it answers and adds
 * `keyPath` to it.
 */
export async function startAgent(t: TestContext, lab: Lab, home: string, sock: string, keyPath: string): Promise<void> {
  const agent = lab.spawnInClient('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  t.after(() => agent.kill('SIGTERM'));
  const env = { SSH_AUTH_SOCK: sock };
  for (let deadline = Date.now() + 10_000; (await runInClient(lab, home, 'ssh-add', ['-l'], { env })).code !== 1; ) {
    if (Date.now() > deadline) throw new Error(`ssh-agent did not listen on ${sock}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const add = await runInClient(lab, home, 'ssh-add', [keyPath], { env });
  if (add.code !== 0) throw new Error(`ssh-add ${keyPath}: ${add.stderr}`);
}
