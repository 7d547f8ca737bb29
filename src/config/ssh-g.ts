// The effective configuration from OpenSSH itself (`ssh -G`), or from the fallback resolver when there is no ssh.
import { spawn } from 'node:child_process';
import { TetherError, errorCode } from '../common/errors.js';
import { parseDump, toEffectiveConfig } from './effective.js';
import type { LocalContext } from './effective.js';
import type { FallbackInput } from './fallback.js';
import type { EffectiveConfig } from './types.js';

/** How to run `ssh -G`. */
export interface SshGOptions {
  /** The ssh binary, a name looked up in env.PATH or a path; default `ssh`. */
  ssh?: string;
  /** The child's environment (PATH decides which ssh runs; nothing else of it matters to -G). */
  env: Readonly<Record<string, string | undefined>>;
  /** Match exec can run commands: give up after this long. Default 15 s. */
  timeoutMs?: number;
}

/** stderr lines of `ssh -G` that say nothing about the configuration. */
const NOISE = [/^Pseudo-terminal will not be allocated/, /^OpenSSH_/, /^debug\d?:/, /^Warning: Identity file /];

/** ssh's closing line after the bad options of one file (`<file>: terminating, N bad configuration options`). */
const TERMINATING = /: terminating, \d+ bad configuration options$/;

/** A successful `ssh -G`: the dump, and the `Warning: ...` lines ssh printed (ssh prints them on a real run too). */
export interface SshGResult {
  dump: Record<string, string[]>;
  warnings: string[];
}

/** stderr lines that ssh would also print when connecting (e.g. "Warning: Identity file x not accessible"). */
function warningLines(stderr: string): string[] {
  return stderr.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.startsWith('Warning: '));
}

/** The line of ssh's stderr that names what is wrong (`file: line N: Bad configuration option: x`). */
export function sshErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  const useful = lines.filter((l) => !NOISE.some((re) => re.test(l)) && !TERMINATING.test(l));
  return useful.find((l) => /line \d+/.test(l)) ?? useful[0] ?? lines[0] ?? 'ssh -G failed';
}

/**
 * What ssh prints for a broken configuration, every line of it: each `file: line N: ...` and the closing
 * `file: terminating, N bad configuration options` (OpenSSH prints both); one line (sshErrorLine) otherwise.
 */
export function sshErrorText(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  const bad = lines.filter((l) => !NOISE.some((re) => re.test(l)) && (/line \d+/.test(l) || TERMINATING.test(l)));
  return bad.some((l) => /line \d+/.test(l)) ? bad.join('\n') : sshErrorLine(stderr);
}

/**
 * Runs `ssh -G <argv>` (spawned directly, no shell) and returns its dump. `argv` is the user's options and
 * destination in their order (options after the destination included: first-value-wins depends on it).
 * Throws TetherError('config') with ssh's own lines for a broken configuration (ssh exits 255),
 * TetherError('usage') when ssh rejected the command line, TetherError('io') (code ENOENT in cause) without ssh.
 */
export function sshG(argv: readonly string[], opts: SshGOptions): Promise<SshGResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    // Its own process group, so that a timeout also ends what a Match exec started.
    const child = spawn(opts.ssh ?? 'ssh', ['-G', ...argv], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      if (errorCode(err) === 'ENOENT') reject(new TetherError('io', `no ssh binary (${opts.ssh ?? 'ssh'}) to read the configuration with`, { cause: err }));
      else reject(new TetherError('config', `ssh -G: ${err.message}`, { cause: err }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new TetherError('config', `ssh -G did not finish within ${Math.round(timeoutMs / 1000)} s (a slow Match exec in ssh_config?)`));
        return;
      }
      if (code === 0) {
        resolve({ dump: parseDump(stdout), warnings: warningLines(stderr) });
        return;
      }
      const line = sshErrorLine(stderr);
      const usage = /^(usage:|unknown option|option requires)/.test(line);
      const cause = { code, signal, stderr };
      reject(new TetherError(usage ? 'usage' : 'config', usage ? stderr.replace(/\n$/, '') : sshErrorText(stderr), { cause }));
    });
  });
}

/** SIGKILL to a whole process group we started; it may be gone already. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already exited
  }
}

/** Everything resolveEffectiveConfig() needs; cli builds it from the parsed argv. */
export interface ResolveInput {
  /** The user's argv as typed minus tether's own options (ConnectArgs.sshArgv): ssh's own checks of the command apply too. */
  argv: readonly string[];
  /** The same command line for the fallback resolver (host, settings, -F). */
  fallback: Omit<FallbackInput, 'local' | 'warn'>;
  local: LocalContext;
  ssh?: string;
  timeoutMs?: number;
  /** Notes about what the fallback could not evaluate. */
  warn?: (message: string) => void;
}

/** Where the configuration came from. */
export interface ResolvedConfig {
  config: EffectiveConfig;
  source: 'ssh -G' | 'fallback';
  /** "Warning: ..." lines ssh prints before connecting (an -i file not accessible): echo them as ssh does. */
  warnings: string[];
}

/** The effective configuration: `ssh -G` when an ssh binary exists, else the fallback resolver. */
export async function resolveEffectiveConfig(input: ResolveInput): Promise<ResolvedConfig> {
  let raw: Record<string, string[]>;
  let source: ResolvedConfig['source'] = 'ssh -G';
  const warnings: string[] = [];
  try {
    const result = await sshG(input.argv, { ssh: input.ssh, env: input.local.env, timeoutMs: input.timeoutMs });
    raw = result.dump;
    warnings.push(...result.warnings);
  } catch (err) {
    if (!(err instanceof TetherError) || err.kind !== 'io') throw err;
    const warn = (m: string): void => {
      if (m.startsWith('Warning: ')) warnings.push(m);
      input.warn?.(m);
    };
    // only machines without ssh need the fallback resolver (and the ssh-config package it loads)
    const { resolveWithoutSsh } = await import('./fallback.js');
    raw = resolveWithoutSsh({ ...input.fallback, local: input.local, warn });
    source = 'fallback';
  }
  return { config: toEffectiveConfig(raw, input.local), source, warnings };
}
