// The demo's world in one temp dir: the embedded server, the fault proxy, a key and a known_hosts for them, and
// the ssh argv that reaches the server through the proxy. Shared by `tether demo` and the end-to-end tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultProxy } from './fault-proxy.js';
import type { FaultProxy } from './fault-proxy.js';
import { startDemoServer } from './server.js';
import type { DemoServer } from './server.js';

/** A running demo world; close() undoes all of it. */
export interface DemoWorld {
  /** The temp dir: the key, known_hosts, the remote HOME and the private tmux socket dir. */
  readonly dir: string;
  readonly server: DemoServer;
  readonly proxy: FaultProxy;
  /** ssh options + destination that reach the server through the proxy (no command). */
  readonly sshArgs: readonly string[];
  /** Stops the server, the proxy and the demo tmux server, removes the dir; safe to call twice. */
  close(): Promise<void>;
}

/** Options: extra ssh options (e.g. `-o ServerAliveInterval=2`), the remote shell. */
export interface DemoWorldOptions {
  extraSshArgs?: readonly string[];
  shell?: string;
  /** Added to the remote shells' environment (e.g. LANG; none by default, like a bare sshd). */
  remoteEnv?: Record<string, string>;
  /** A Host alias for 127.0.0.1 (`tether demo` uses `tether-demo`, so its resets say in the history that they were the demo's). */
  alias?: string;
}

/** Starts the server and the proxy on 127.0.0.1 in a fresh temp dir. */
export async function startDemoWorld(opts: DemoWorldOptions = {}): Promise<DemoWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'tether-demo-'));
  const remoteEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: dir,
    TMUX_TMPDIR: dir,
    SHELL: '/bin/bash',
    ...opts.remoteEnv,
  };
  let server: DemoServer | undefined;
  let proxy: FaultProxy | undefined;
  try {
    server = await startDemoServer({ env: remoteEnv, shell: opts.shell ?? '/bin/sh' });
    const srv = server;
    // sshd logs the connections MaxStartups drops; the demo's journal says the same of the proxy's
    proxy = await startFaultProxy(srv.port, (from) => srv.facts.log(`drop connection #10 from [127.0.0.1]:${from} on [127.0.0.1]:${srv.port} past MaxStartups`));
  } catch (err) {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  // the remote user's dotfiles: a short prompt, and tmux without its own status line (tether's bar is the one shown)
  for (const rc of ['.bashrc', '.bash_profile']) writeFileSync(join(dir, rc), "PS1='demo:\\w\\$ '\nunset HISTFILE\n");
  writeFileSync(join(dir, '.tmux.conf'), 'set -g status off\n');
  const key = join(dir, 'id_ed25519');
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(key, server.clientPrivateKey, { mode: 0o600 });
  const alias = opts.alias;
  const names = alias === undefined ? `[127.0.0.1]:${proxy.port}` : `[127.0.0.1]:${proxy.port},[${alias}]:${proxy.port}`;
  writeFileSync(knownHosts, `${names} ${server.hostKeyLine}\n`, { mode: 0o600 });
  const sshConfig = join(dir, 'ssh_config');
  if (alias !== undefined) writeFileSync(sshConfig, `Host ${alias}\n  HostName 127.0.0.1\n`, { mode: 0o600 });
  const sshArgs = [
    '-F', alias === undefined ? '/dev/null' : sshConfig,
    '-i', key,
    '-o', 'IdentitiesOnly=yes',
    '-o', `UserKnownHostsFile=${knownHosts}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'UpdateHostKeys=no',
    ...(opts.extraSshArgs ?? []),
    '-p', String(proxy.port),
    `demo@${alias ?? '127.0.0.1'}`,
  ];
  const s = server;
  const p = proxy;
  let closing: Promise<void> | undefined;
  return {
    dir,
    server: s,
    proxy: p,
    sshArgs,
    close: () =>
      (closing ??= (async () => {
        await p.close().catch(() => undefined);
        await s.close().catch(() => undefined);
        killDemoTmux(dir);
        // shells killed with the tmux server may still be writing their files: retry ENOTEMPTY
        rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      })()),
  };
}

/** Kills the tmux server whose socket lives in the demo dir (the remote sessions' one). */
export function killDemoTmux(dir: string): void {
  for (const server of [['-L', 'tether'], []]) {
    spawnSync('tmux', [...server, 'kill-server'], { env: { ...process.env, TMUX_TMPDIR: dir, TMUX: '' }, stdio: 'ignore', timeout: 5000 });
  }
}
