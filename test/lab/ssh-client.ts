// A tiny runner for OpenSSH's own `ssh` in the client namespace, to prove the lab with a reference client.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from './lab.js';
import type { RunResult } from './run.js';
import type { ClientKey } from './user.js';

/** How to log in and what else to pass to ssh. */
export interface SshOptions {
  /** Key to log in with (default: the lab's clientKey); ignored when `password` is set. */
  readonly key?: ClientKey;
  /** Log in with this password instead of a key (through SSH_ASKPASS, no sshpass needed). */
  readonly password?: string;
  /** known_hosts file (default: the lab's knownHostsPath, as written at creation). */
  readonly knownHosts?: string;
  /** Extra `-o Key=Value` options, e.g. { ConnectTimeout: '2', ServerAliveInterval: '1' }. */
  readonly options?: Readonly<Record<string, string>>;
  /** Extra raw arguments before the destination, e.g. ['-tt']. */
  readonly args?: readonly string[];
  /** Text for ssh's stdin. */
  readonly input?: string;
  /** Kill ssh after this long (default 30 s). */
  readonly timeoutMs?: number;
}

// Prints the password from the environment, so it is never written to disk.
const ASKPASS = '#!/bin/sh\nprintf "%s\\n" "$TETHER_LAB_PASSWORD"\n';

/** The argv (after `ssh`) and environment for one ssh run against the lab. */
export function sshArgv(lab: Lab, remoteCmd: readonly string[], opts: SshOptions = {}): { args: string[]; env: NodeJS.ProcessEnv } {
  const o: Record<string, string> = {
    BatchMode: 'yes',
    StrictHostKeyChecking: 'yes',
    UserKnownHostsFile: opts.knownHosts ?? lab.knownHostsPath,
    GlobalKnownHostsFile: '/dev/null',
    UpdateHostKeys: 'no',
    ConnectTimeout: '5',
  };
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.SSH_AUTH_SOCK;
  if (opts.password !== undefined) {
    const askpass = join(lab.clientDir, 'askpass.sh');
    writeFileSync(askpass, ASKPASS);
    chmodSync(askpass, 0o700);
    Object.assign(o, { BatchMode: 'no', PubkeyAuthentication: 'no', PreferredAuthentications: 'password', NumberOfPasswordPrompts: '1' });
    Object.assign(env, { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0', TETHER_LAB_PASSWORD: opts.password });
  } else {
    Object.assign(o, { IdentityFile: (opts.key ?? lab.clientKey).privatePath, IdentitiesOnly: 'yes', PasswordAuthentication: 'no' });
  }
  Object.assign(o, opts.options ?? {});
  const args = ['-F', '/dev/null', ...Object.entries(o).flatMap(([k, v]) => ['-o', `${k}=${v}`])];
  args.push(...(opts.args ?? []), '-p', String(lab.port), `${lab.user}@${lab.serverAddr}`, ...(remoteCmd.length ? ['--', ...remoteCmd] : []));
  return { args, env };
}

/** Runs `ssh user@server -- cmd...` in the client namespace and returns exit code, stdout and stderr. */
export function sshInClient(lab: Lab, remoteCmd: readonly string[], opts: SshOptions = {}): Promise<RunResult> {
  const { args, env } = sshArgv(lab, remoteCmd, opts);
  const runOpts = { env, timeoutMs: opts.timeoutMs ?? 30_000, ...(opts.input === undefined ? {} : { input: opts.input }) };
  return lab.execInClient('ssh', args, runOpts);
}

/** Spawns ssh in the client namespace (tracked by the lab, killed on dispose); stdio is piped. */
export function spawnSshInClient(lab: Lab, remoteCmd: readonly string[], opts: SshOptions = {}): ChildProcess {
  const { args, env } = sshArgv(lab, remoteCmd, opts);
  return lab.spawnInClient('ssh', args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
}
