// The interactive clients under test, each started in the lab's client namespace in its own pty:
// tether (bin/tether), OpenSSH (plain, in a reconnect loop, into tmux), autossh and mosh.
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Lab } from '../test/lab/index.js';
import { sshArgv } from '../test/lab/index.js';
import { REPO } from '../test/helpers/tether-lab.js';
import { PtySession } from './pty-session.js';

/** The clients a benchmark can start. */
export type ClientKind = 'tether' | 'tether-no-tmux' | 'ssh' | 'ssh-tmux' | 'ssh-loop' | 'autossh' | 'mosh';

/** How to start one client. */
export interface ClientSpec {
  readonly kind: ClientKind;
  /** Label in the results ("tether", "ssh -o ServerAliveInterval=5"...). */
  readonly label: string;
  /** ServerAliveInterval for the OpenSSH-based clients (default 5; with ServerAliveCountMax 3). */
  readonly aliveInterval?: number;
  /** A tag making the tmux session name unique (ssh-tmux, ssh-loop, autossh). */
  readonly tag?: string;
}

/** A started client and where its tether trace goes (tether only). */
export interface Client {
  readonly spec: ClientSpec;
  readonly pty: PtySession;
  /** TETHER_DEBUG_LOG file (tether kinds), else undefined. */
  readonly traceFile?: string;
  /** The command line as a user would type it (for BENCHMARKS.md). */
  readonly command: string;
}

/** Environment every client gets (no agent, a UTF-8 locale for mosh, xterm-256color). */
function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: process.env.HOME ?? '/root', TERM: 'xterm-256color', LANG: 'C.UTF-8' };
}

/** Quotes one word for sh. */
function q(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The OpenSSH options used against the lab (known_hosts, key, batch mode) plus ServerAlive. */
function sshOptions(lab: Lab, alive: number): string[] {
  const { args } = sshArgv(lab, [], { options: { ServerAliveInterval: String(alive), ServerAliveCountMax: '3' } });
  // sshArgv ends with -p PORT user@host: keep only the options
  return args.slice(0, args.indexOf('-p'));
}

/** The user@host of the lab server. */
function dest(lab: Lab): string {
  return `${lab.user}@${lab.serverAddr}`;
}

/** tether's temporary homes (state, config, trace), removed when the bench process ends. */
const homes: string[] = [];
process.once('exit', () => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

/** Starts a client in the lab's client namespace, in a pty of cols×rows. */
export function startClient(lab: Lab, spec: ClientSpec, cols = 100, rows = 30): Client {
  const env = baseEnv();
  const alive = spec.aliveInterval ?? 5;
  const tmuxName = `bench-${spec.tag ?? spec.kind}`;
  const shellOf = (cmd: string): string[] => ['bash', '-c', cmd];
  let argv: string[];
  let command: string;
  let traceFile: string | undefined;
  switch (spec.kind) {
    case 'tether':
    case 'tether-no-tmux': {
      const home = mkdtempSync(join(tmpdir(), 'tether-bench-'));
      homes.push(home);
      traceFile = join(home, 'trace.log');
      const extra = spec.kind === 'tether-no-tmux' ? ['--no-tmux'] : [];
      const opts = ['-F', '/dev/null', '-i', lab.clientKey.privatePath, '-o', 'IdentitiesOnly=yes', '-o', `UserKnownHostsFile=${lab.knownHostsPath}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes', '-o', 'UpdateHostKeys=no'];
      argv = ['env', `XDG_STATE_HOME=${join(home, 'state')}`, `XDG_CONFIG_HOME=${join(home, 'config')}`, `TETHER_DEBUG_LOG=${traceFile}`, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, join(REPO, 'bin', 'tether'), ...extra, ...opts, dest(lab)];
      command = `tether ${extra.join(' ')} ${dest(lab)}`.replace(/ +/g, ' ');
      break;
    }
    case 'ssh': {
      argv = ['ssh', ...sshOptions(lab, alive), '-tt', dest(lab)];
      command = `ssh -o ServerAliveInterval=${alive} -o ServerAliveCountMax=3 -tt ${dest(lab)}`;
      break;
    }
    case 'ssh-tmux': {
      argv = ['ssh', ...sshOptions(lab, alive), '-tt', dest(lab), 'tmux', 'new-session', '-A', '-s', tmuxName];
      command = `ssh -o ServerAliveInterval=${alive} -o ServerAliveCountMax=3 -tt ${dest(lab)} tmux new-session -A -s NAME`;
      break;
    }
    case 'ssh-loop': {
      const ssh = ['ssh', ...sshOptions(lab, alive), '-tt', dest(lab), 'tmux', 'new-session', '-A', '-s', tmuxName].map(q).join(' ');
      argv = shellOf(`while ! ${ssh}; do sleep 1; done`);
      command = `while ! ssh -o ServerAliveInterval=${alive} -o ServerAliveCountMax=3 -o ConnectTimeout=5 -tt ${dest(lab)} tmux new-session -A -s NAME; do sleep 1; done`;
      break;
    }
    case 'autossh': {
      env.AUTOSSH_GATETIME = '0';
      // one word for the remote command: autossh permutes argv with getopt and would take its -s for ssh's -s
      argv = ['autossh', '-M', '0', ...sshOptions(lab, alive), '-tt', dest(lab), `tmux new-session -A -s ${tmuxName}`];
      command = `AUTOSSH_GATETIME=0 autossh -M 0 -o ServerAliveInterval=${alive} -o ServerAliveCountMax=3 -tt ${dest(lab)} tmux new-session -A -s NAME`;
      break;
    }
    case 'mosh': {
      const ssh = ['ssh', ...sshOptions(lab, alive)].map(q).join(' ');
      argv = ['mosh', `--ssh=${ssh}`, dest(lab)];
      command = `mosh ${dest(lab)}  (UDP 60000-61000 opened in the lab firewall for it)`;
      break;
    }
  }
  const [ip, ipArgs] = lab.clientArgv(argv[0] as string, argv.slice(1));
  const p = new PtySession(spec.label, ip, ipArgs, env, cols, rows);
  return traceFile === undefined ? { spec, pty: p, command } : { spec, pty: p, traceFile, command };
}

/** A shell prompt on screen: the session is ready for keys. */
export const PROMPT = /\$ ?$/m;
