#!/usr/bin/env node
// Does the real xterm keep in its scrollback the lines that scroll out of tether's pinned-bar scroll region?
// Each case runs in a 100x30 xterm on a private Xvfb, prints 500 numbered lines, then `ESC [ ? 1 1 i` (Media Copy,
// "print all pages"): xterm pipes its scrollback and screen to printerCommand, and we count the numbered lines kept.
//   node scripts/xterm-scrollback.mjs      (needs xterm and Xvfb; the tether cases need dist/: npm run build)
// Prints one line per case: `case, lines kept of 500`. A measurement tool, not a test.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const N = 500;
const COLS = 100;
const ROWS = 30;
/**
 * What every case's program does when done: wait, print all pages, give the printer a moment. The first wait matters:
 * xterm 379 prints a jump scroll still pending without counting it in the saved lines (the oldest lines went missing).
 */
const PRINT = `sleep 1; printf '\\033[?11i'; sleep 1`;

const onPath = (cmd) =>
  (process.env.PATH ?? '').split(delimiter).some((d) => {
    try {
      accessSync(join(d, cmd), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
const missing = ['xterm', 'Xvfb'].filter((c) => !onPath(c));
if (missing.length > 0) {
  console.error(`xterm-scrollback: ${missing.join(' and ')} not found on PATH (Debian: apt-get install xterm xvfb)`);
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const kill = (pid) => {
  try {
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
};
/** A child we spawned, killed by its PID unless it has exited (so a reused PID is never hit). */
const stop = (child) => {
  if (child.exitCode === null && child.signalCode === null) kill(child.pid);
};
async function waitFor(ok, ms) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (ok()) return true;
  return ok();
}

const work = mkdtempSync(join(tmpdir(), 'xterm-scrollback-'));
/** What we started (Xvfb, xterm, the program in a running xterm, demo worlds), undone on every exit path. */
const children = new Set();
/** Each xterm's file with the PID of the program in it. */
const pidFiles = new Map();
const innerPid = (xterm) => {
  const f = pidFiles.get(xterm);
  return f !== undefined && existsSync(f) ? Number(readFileSync(f, 'utf8')) : undefined;
};
const worlds = new Set();
async function cleanup() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) kill(innerPid(child));
    stop(child);
  }
  for (const w of worlds) await w.close().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void cleanup().then(() => process.exit(130)));

/** Starts Xvfb on a free display (-displayfd); resolves to ":N". */
async function startXvfb() {
  const x = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  children.add(x);
  let got = '';
  x.stdio[3].on('data', (d) => (got += d));
  if (!(await waitFor(() => got.includes('\n'), 10_000))) throw new Error('Xvfb did not report its display in 10 s');
  return `:${got.trim()}`;
}

/** Runs argv in a 100x30 xterm; resolves to how many of the lines 1..N xterm printed (scrollback + screen). */
async function measure(display, name, argv, env = {}) {
  const out = join(work, `${name}.txt`);
  const pidFile = join(work, `${name}.pid`);
  const xterm = spawn(
    'xterm',
    [
      '-geometry', `${COLS}x${ROWS}`,
      '-xrm', 'XTerm*saveLines: 5000',
      '-xrm', 'XTerm*printAttributes: 0',
      '-xrm', `XTerm*printerCommand: cat > '${out}.part' && mv '${out}.part' '${out}'`,
      // the program's PID (exec keeps it), so it can be killed by PID too
      '-e', 'sh', '-c', 'echo $$ > "$0"; exec "$@"', pidFile, ...argv,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env, DISPLAY: display } },
  );
  children.add(xterm);
  pidFiles.set(xterm, pidFile);
  let err = '';
  xterm.stderr.on('data', (d) => (err += d));
  const exited = new Promise((r) => xterm.on('exit', r));
  const done = await Promise.race([exited.then(() => true), sleep(60_000).then(() => false)]);
  if (!done) {
    // still running: the program in it (tether) first, then xterm
    kill(innerPid(xterm));
    stop(xterm);
  }
  // the printer's cat ends when xterm's end of the pipe closes
  if (!(await waitFor(() => existsSync(out), 5000))) {
    throw new Error(`${name}: xterm printed nothing${done ? '' : ' (timed out after 60 s)'}${err ? `; xterm said: ${err.trim().split('\n')[0]}` : ''}`);
  }
  const kept = new Set();
  for (const line of readFileSync(out, 'latin1').split(/\r?\n|\r/)) {
    const m = /^\s*(\d+)\s*$/.exec(line);
    if (m && Number(m[1]) >= 1 && Number(m[1]) <= N) kept.add(Number(m[1]));
  }
  return kept.size;
}

/** Runs the real bin/tether in xterm against the e2e tests' demo world; its remote login shell prints and exits. */
async function measureTether(display, name, pinBar) {
  const setup = join(ROOT, 'dist/cli/demo/setup.js');
  if (!existsSync(setup)) throw new Error('dist/ is not built: run `npm run build` first');
  const { startDemoWorld } = await import(setup);
  const world = await startDemoWorld();
  worlds.add(world);
  try {
    // give tether time to attach before the output starts; `exit` ends the shell, the tmux session and tether
    appendFileSync(join(world.dir, '.bash_profile'), `sleep 2; seq 1 ${N}; ${PRINT}; exit\n`);
    const home = join(work, `${name}-home`);
    mkdirSync(join(home, 'tether'), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, 'tether', 'config.json'), JSON.stringify({ pinBar }), { mode: 0o600 });
    const env = { XDG_CONFIG_HOME: home, XDG_STATE_HOME: home, XDG_RUNTIME_DIR: home };
    return await measure(display, name, [process.execPath, join(ROOT, 'bin/tether'), ...world.sshArgs], env);
  } finally {
    worlds.delete(world);
    await world.close();
  }
}

const cases = [
  ['check: plain seq, no region', (d) => measure(d, 'check', ['bash', '-c', `seq 1 ${N}; ${PRINT}`])],
  [
    `(a) bash, region 1..${ROWS - 1}, row ${ROWS} painted`,
    (d) => measure(d, 'a', ['bash', '-c', `printf '\\033[1;${ROWS - 1}r\\033[${ROWS};1Hbar on row ${ROWS}\\033[1;1H'; seq 1 ${N}; ${PRINT}`]),
  ],
  ['(b) tether, pinBar true', (d) => measureTether(d, 'b', true)],
  ['(c) tether, pinBar false (default)', (d) => measureTether(d, 'c', false)],
];

let code = 0;
try {
  const display = await startXvfb();
  for (const [name, run] of cases) {
    try {
      console.log(`${name}, ${await run(display)} of ${N}`);
    } catch (err) {
      console.log(`${name}, failed: ${err instanceof Error ? err.message : String(err)}`);
      code = 1;
    }
  }
} finally {
  await cleanup();
}
process.exit(code);
