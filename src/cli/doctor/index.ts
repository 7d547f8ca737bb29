// `tether doctor [ssh options] host [--idle-probe] [--json] [--max-wait S] [--max-time S]`: the seed checklist run
// for the user, step by step with progress, ending in findings and the exact lines to add.
import { messageOf } from '../../common/errors.js';
import { tetherPaths } from '../../config/paths.js';
import { CredentialCache } from '../../transport/credential-cache.js';
import type { Prompter } from '../../transport/prompter.js';
import { linkExec } from '../../heal/link-exec.js';
import { localContext } from '../local-context.js';
import { resolveTarget } from '../remote-target.js';
import { ttyPrompter } from '../tty-prompter.js';
import { exitStatusFor, findingsFor } from './findings.js';
import { runIdleProbe } from './idle-run.js';
import { tryLogin } from './login.js';
import { parseDoctorOptions } from './options.js';
import { icmpCheck, tcpSamples } from './reach.js';
import { renderFindings, renderStep } from './render.js';
import type { RenderMode } from './render.js';
import { serverStep } from './server-step.js';
import { bannerLine, icmpLine, loginLines, serverLines, tcpLine } from './step-lines.js';
import type { DoctorReport, DoctorTarget, IdleResult, LoginResult, ServerResult, StepLine, TcpResult } from './types.js';

/** Where doctor writes and what it may ask; defaults are the process's. */
export interface DoctorIo {
  readonly stdout?: (s: string) => void;
  readonly stderr?: (s: string) => void;
  /** Marks (✓ ✗ !) when true, plain words when false. */
  readonly isTTY?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Where --idle-probe stores what it learned (default: tether's XDG state dir). */
  readonly stateDir?: string;
  readonly prompter?: Prompter;
}

/** TCP samples taken of the port. */
const TCP_SAMPLES = 5;
/** Each sample's limit (connect + banner). */
const TCP_TIMEOUT_MS = 3000;

/** Runs doctor; resolves to 0 (reachable, login works), 1 (a problem found) or 255 (could not start). */
export async function runDoctorCommand(args: readonly string[], io: DoctorIo = {}): Promise<number> {
  const out = io.stdout ?? ((s: string) => void process.stdout.write(s));
  const err = io.stderr ?? ((s: string) => void process.stderr.write(s));
  const env = io.env ?? process.env;
  let opts: ReturnType<typeof parseDoctorOptions>;
  let target: Awaited<ReturnType<typeof resolveTarget>>;
  try {
    opts = parseDoctorOptions(args);
    target = await resolveTarget(opts.ssh, 'doctor');
  } catch (e) {
    err(`${messageOf(e)}\n`);
    return 255;
  }
  const mode: RenderMode = opts.json ? 'json' : (io.isTTY ?? process.stdout.isTTY === true) ? 'tty' : 'plain';
  const emit = (line: StepLine): void => out(renderStep(line, mode));
  const { config } = target;
  const t: DoctorTarget = { alias: config.host, hostname: config.hostname, port: config.port, user: config.user };
  if (mode !== 'json') out(`tether doctor: ${t.user}@${t.hostname} port ${String(t.port)}${t.alias === t.hostname ? '' : ` (${t.alias})`}\n`);
  const prompter = io.prompter ?? ttyPrompter({ env, batchMode: config.batchMode, stderr: process.stderr });
  const credentials = new CredentialCache(true);

  // Steps 1-2: ICMP and TCP at once (neither applies through ProxyJump: the hop makes the connection).
  const direct = config.proxyJump.length === 0;
  const [icmp, tcp] = await Promise.all([
    direct ? icmpCheck(t.hostname, config.addressFamily) : Promise.resolve({ status: 'not-checked', why: 'reached through ProxyJump' } as const),
    direct ? tcpSamples(t.hostname, t.port, TCP_SAMPLES, TCP_TIMEOUT_MS) : Promise.resolve<TcpResult>({ outcomes: [], rttMs: [] }),
  ]);
  emit(icmpLine(t, icmp));
  emit(tcpLine(t, tcp));
  const banner = bannerLine(tcp);
  if (banner) emit(banner);

  // Steps 3-5: a real login, then the server side over it.
  let login: LoginResult | undefined;
  let server: ServerResult | undefined;
  if (!direct || tcp.banner !== undefined || tcp.outcomes.includes('open')) {
    const { result, link } = await tryLogin({ config, prompter, resolveHop: target.resolveHop, credentials, timeoutMs: config.connectTimeoutMs ?? 15_000 });
    login = result;
    for (const l of loginLines(t, result)) emit(l);
    if (link) {
      try {
        server = await serverStep(linkExec(link));
        for (const l of serverLines(server)) emit(l);
      } finally {
        link.dispose();
      }
    }
  }

  // Step 6: the idle limit, only when login works.
  let idle: IdleResult | undefined;
  if (opts.idleProbe && login?.ok === true) {
    idle = await runIdleProbe({
      config,
      prompter,
      credentials,
      resolveHop: target.resolveHop,
      maxWaitMs: opts.maxWaitMs,
      maxTimeMs: opts.maxTimeMs,
      stateDir: io.stateDir ?? tetherPaths(env, localContext(env).home).stateDir,
      emit,
    });
  } else if (opts.idleProbe) emit({ step: 'idle-probe', mark: 'warn', text: 'idle probe skipped: it needs a working login' });

  // Step 7: findings.
  const report: DoctorReport = {
    target: t,
    icmp,
    tcp,
    serverAliveInterval: config.serverAliveInterval,
    ...(login ? { login } : {}),
    ...(server ? { server } : {}),
    ...(idle ? { idle } : {}),
  };
  const findings = findingsFor(report);
  out(renderFindings(findings, mode));
  const status = exitStatusFor(report, findings);
  if (mode === 'json') out(`${JSON.stringify({ type: 'summary', ...t, reachable: tcp.outcomes.length === 0 || tcp.rttMs.length > 0, login: login?.ok === true, status })}\n`);
  return status;
}
