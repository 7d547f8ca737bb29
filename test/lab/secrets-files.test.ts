// What tether leaves on disk, against the real sshd: an interactive session (encrypted key, passphrase typed at the
// prompt, a secret typed into the shell, one typed while the link is down, a reconnect) and a non-interactive
// command (password typed at the prompt) in a fresh HOME. Every directory tether created is 0700, every file 0600,
// and no secret appears in any file it wrote, nor in any process's command line while it ran.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { PtyDriver } from '../helpers/pty-driver.js';
import { REPO, readResets, removeScratch, scratchDir, shortTcpRetries, typeLine, waitForOutage, waitForResets, waitForRestore } from '../helpers/tether-lab.js';
import type { TetherRun } from '../helpers/tether-lab.js';
import { startLab } from './index.js';
import type { Lab } from './index.js';

/** Starts bin/tether in a pty in the client namespace with exactly these ssh options, its XDG homes inside `home`
 * (not yet there: tether creates them; HOME itself comes from the password database, as in OpenSSH). */
function tether(lab: Lab, home: string, args: string[]): TetherRun {
  const debugLog = join(home, 'trace.log');
  const env = {
    HOME: home,
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CONFIG_HOME: join(home, '.config'),
    TETHER_DEBUG_LOG: debugLog,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
  };
  const [ip, ipArgs] = lab.clientArgv('env', [...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, join(REPO, 'bin', 'tether'), ...args]);
  const driver = new PtyDriver(ip, ipArgs, { cols: 100, rows: 30, cwd: REPO, env });
  const stateHome = join(home, '.local', 'state');
  return {
    driver,
    pid: driver.pid,
    stateHome,
    configHome: join(home, '.config'),
    debugLog,
    resets: () => readResets(stateHome),
    trace: () => (existsSync(debugLog) ? readFileSync(debugLog, 'utf8') : ''),
    kill: () => driver.kill(),
  };
}

/** Every path under `root` (not `root` itself). */
function walk(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const p = join(root, name);
    out.push(p);
    if (lstatSync(p).isDirectory()) out.push(...walk(p));
  }
  return out;
}

/** Samples every process's command line until stopped; returns what it saw. */
function watchPs(): { stop(): string } {
  let seen = '';
  const timer = setInterval(() => {
    try {
      seen += execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    } catch {
      // ps raced a process exit: the next sample covers it
    }
  }, 150);
  return {
    stop: () => {
      clearInterval(timer);
      return seen;
    },
  };
}

test('no secret in any file tether writes or in ps; directories 0700, files 0600', { timeout: 120_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const home = scratchDir('secrets');
  t.after(() => removeScratch(home));
  const tag = randomBytes(6).toString('hex');
  const passphrase = `pp-${tag}-phrase`;
  const typed = `typed-${tag}-secret`;
  const typedHeld = `held-${tag}-secret`;
  const password = lab.password;
  const key = await lab.generateClientKey({ passphrase });
  const knownHosts = join(home, '.ssh', 'known_hosts');
  const common = ['-F', '/dev/null', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=accept-new'];
  await shortTcpRetries(lab);
  const ps = watchPs();
  let psSeen = '';
  const runs: TetherRun[] = [];
  t.after(() => runs.forEach((r) => r.kill()));
  try {
    // interactive: the passphrase typed at the prompt, a secret typed into the shell, another while the link is down
    const i = tether(lab, home, [...common, '-i', key.privatePath, '-o', 'IdentitiesOnly=yes', '-o', 'PasswordAuthentication=no', `${lab.user}@${lab.serverAddr}`]);
    runs.push(i);
    await i.driver.waitForText(/Enter passphrase for key/, 20_000);
    i.driver.write(`${passphrase}\r`);
    await i.driver.waitForText(/\$ ?$/m, 20_000);
    typeLine(i, `: ${typed}; echo typed-ok`);
    await i.driver.waitForText(/typed-ok/, 10_000);
    await lab.blockPort('rst');
    await lab.killSession();
    await waitForOutage(i, 30_000);
    typeLine(i, `: ${typedHeld}; echo held-ok`);
    await new Promise((r) => setTimeout(r, 1000));
    await lab.unblockPort();
    await waitForRestore(i, 45_000);
    await i.driver.waitForText(/held-ok/, 15_000);
    await waitForResets(i, 1, 20_000);
    i.driver.write('\r~.');
    await i.driver.waitForExit(15_000);

    // non-interactive: a password typed at the prompt
    const n = tether(lab, home, [...common, '-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no', `${lab.user}@${lab.serverAddr}`, 'echo', 'cmd-ok']);
    runs.push(n);
    await n.driver.waitForText(/password:/, 20_000);
    n.driver.write(`${password}\r`);
    await n.driver.waitForText(/cmd-ok/, 20_000);
    assert.equal((await n.driver.waitForExit(15_000)).code, 0);
  } catch (err) {
    const last = runs[runs.length - 1];
    if (last && err instanceof Error) err.message += `\n--- screen:\n${last.driver.screenText()}\n--- trace:\n${last.trace().split('\n').slice(-40).join('\n')}`;
    throw err;
  } finally {
    psSeen = ps.stop();
  }

  const secrets = { passphrase, password, typed, typedHeld };
  for (const [what, s] of Object.entries(secrets)) assert.ok(!psSeen.includes(s), `the ${what} appeared in ps output`);
  const paths = walk(home);
  const expected = ['.ssh', '.ssh/known_hosts', '.config', '.config/tether', '.local', '.local/state', '.local/state/tether', '.local/state/tether/resets.jsonl', '.local/state/tether/hosts.json', 'trace.log'];
  for (const e of expected) assert.ok(paths.includes(join(home, e)), `tether wrote ${e}; all: ${paths.join(' ')}`);
  for (const p of paths) {
    const st = lstatSync(p);
    if (st.isDirectory()) assert.equal(st.mode & 0o777, 0o700, `directory ${p}`);
    else {
      assert.ok(st.isFile(), `${p} is a plain file`);
      assert.equal(st.mode & 0o777, 0o600, `file ${p}`);
      const text = readFileSync(p, 'latin1');
      for (const [what, s] of Object.entries(secrets)) assert.ok(!text.includes(s), `the ${what} appeared in ${p}`);
    }
  }
  t.diagnostic(`scanned ${paths.length} paths: ${paths.map((p) => p.slice(home.length + 1)).join(' ')}`);
});
