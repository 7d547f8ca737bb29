// Test harness for remote/: a RemoteExec that runs commands with a local shell (as sshd does with `$SHELL -c`),
// a private tmux server in a temp dir, and a pty "client" that runs the interactive command.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pty from 'node-pty';
import type { ExecResult, RemoteExec } from '../../src/remote/exec.js';

/**
 * The environment every child gets: no TMUX (we may run inside one), a known TERM, and no locale
 * variables: an exec channel gets none unless the client sends them and sshd accepts them (C locale).
 */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  const dropped = /^(TMUX|TMUX_PANE|LANG|LANGUAGE|LC_.*)$/;
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !dropped.test(k)) env[k] = v;
  return { ...env, TERM: 'xterm-256color', SHELL: '/bin/sh', ...extra };
}

/** A RemoteExec running `shell -c command` locally, killed (whole process group) after timeoutMs. */
export function localExec(shell = '/bin/sh', env: Record<string, string> = childEnv()): RemoteExec {
  return (command, opts) =>
    new Promise<ExecResult>((resolve, reject) => {
      const child = spawn(shell, ['-c', command], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      }, opts?.timeoutMs ?? 10_000);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ stdout, stderr, code });
      });
    });
}

/** A private tmux server's socket in a fresh temp dir; `dispose` kills that server and removes the dir. */
export interface PrivateTmux {
  dir: string;
  socket: { path: string };
  exec: RemoteExec;
  dispose(): Promise<void>;
}

export function privateTmux(): PrivateTmux {
  const dir = mkdtempSync(join(tmpdir(), 'tether-remote-'));
  const socket = { path: join(dir, 'tmux.sock') };
  const exec = localExec();
  return {
    dir,
    socket,
    exec,
    async dispose() {
      await exec(`tmux -S '${socket.path}' kill-server 2>/dev/null; true`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A terminal client running one command string in a pty (what the SSH shell channel would be). */
export interface PtyClient {
  pid: number;
  output(): string;
  write(s: string): void;
  resize(cols: number, rows: number): void;
  exited: Promise<number>;
  kill(): void;
}

export function ptyClient(command: string | undefined, opts: { cols: number; rows: number; env?: Record<string, string> }): PtyClient {
  const args = command === undefined ? ['-l'] : ['-c', command];
  const p = pty.spawn('/bin/sh', args, { name: 'xterm-256color', cols: opts.cols, rows: opts.rows, env: opts.env ?? childEnv() });
  let out = '';
  p.onData((d) => (out += d));
  const exited = new Promise<number>((resolve) => p.onExit((e) => resolve(e.exitCode)));
  let alive = true;
  void exited.then(() => (alive = false));
  return {
    pid: p.pid,
    output: () => out,
    write: (s) => p.write(s),
    resize: (c, r) => p.resize(c, r),
    exited,
    kill: () => {
      if (alive) p.kill('SIGHUP');
    },
  };
}

/** Polls `check` every 50 ms until it returns a value or `ms` passes (then throws with `what`). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
