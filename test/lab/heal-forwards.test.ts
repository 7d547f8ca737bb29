// Forwards come back after a reconnect. `tether -N -L … -R …` is a tunnel that stays up (autossh's job), an
// interactive `tether -L … -R … host` gets its forwards back with its shell, and with `-A` the same shell reaches
// the agent again: sshd is killed (master and sessions) and started again, and the same tether process carries on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { join } from 'node:path';
import { TETHER_BIN, cleanEnv, dest, keyOptions, runInClient, startAgent, tempDir } from '../helpers/foundation.js';
import { healCase } from '../helpers/tether-lab-case.js';
import { remoteShellPid, typeLine, waitForRestore } from '../helpers/tether-lab.js';
import { ECHO_CLIENT, ECHO_SERVER } from './fixtures/echo.js';
import { sleep, startLab, waitForOutput, waitUntil } from './index.js';
import type { Lab } from './index.js';

const SERVER_ECHO = 47021; // in the server ns, reached through -L
const LOCAL_PORT = 47022; // tether's -L listener in the client ns
const REMOTE_PORT = 47023; // sshd's -R listener in the server ns
const CLIENT_ECHO = 47024; // in the client ns, reached through -R
const SIZE = 256 * 1024;

interface EchoResult {
  equal?: boolean;
  bytes?: number;
  error?: string;
}

function parse(out: string): EchoResult {
  try {
    return JSON.parse(out.trim().split('\n').pop() ?? '{}') as EchoResult;
  } catch {
    return {};
  }
}

/** Bytes both ways through -L (from the client ns) and through -R (from the server ns). */
async function through(lab: Lab, home: string): Promise<{ local: EchoResult; remote: EchoResult }> {
  const [l, r] = await Promise.all([
    runInClient(lab, home, process.execPath, ['-e', ECHO_CLIENT, String(LOCAL_PORT), String(SIZE), '5000'], { timeoutMs: 10_000 }),
    lab.execInServer(process.execPath, ['-e', ECHO_CLIENT, String(REMOTE_PORT), String(SIZE), '5000'], { timeoutMs: 10_000 }),
  ]);
  return { local: parse(l.stdout.toString()), remote: parse(r.stdout) };
}

/** The two forwards under test, as ssh options. */
const FORWARDS = ['-L', `127.0.0.1:${LOCAL_PORT}:127.0.0.1:${SERVER_ECHO}`, '-R', `127.0.0.1:${REMOTE_PORT}:127.0.0.1:${CLIENT_ECHO}`];

/** Starts both echo services (killed at the end of the test). */
async function startEchoes(t: TestContext, lab: Lab): Promise<void> {
  const serverEcho = lab.spawnInServer(process.execPath, ['-e', ECHO_SERVER, String(SERVER_ECHO)], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => serverEcho.kill('SIGKILL'));
  const clientEcho = lab.spawnInClient(process.execPath, ['-e', ECHO_SERVER, String(CLIENT_ECHO)], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => clientEcho.kill('SIGKILL'));
  await Promise.all([waitForOutput(serverEcho, /listening/, 10_000), waitForOutput(clientEcho, /listening/, 10_000)]);
}

/** Waits until bytes go both ways through both forwards; resolves to what the last try saw. */
async function waitBoth(lab: Lab, home: string, what: string, ms: number, stderr: () => string): Promise<{ local: EchoResult; remote: EchoResult }> {
  let last: { local: EchoResult; remote: EchoResult } | undefined;
  const ok = async (): Promise<boolean> => {
    last = await through(lab, home);
    return last.local.equal === true && last.remote.equal === true;
  };
  await waitUntil(ok, what, ms, 300).catch((err: unknown) => {
    throw new Error(`${String(err)}; last try ${JSON.stringify(last)}; tether: ${stderr()}`);
  });
  return last ?? { local: {}, remote: {} };
}

/** sshd killed (master and sessions), the forwards seen down, sshd started again. */
async function restartSshd(lab: Lab, home: string): Promise<void> {
  await lab.killSshdAll();
  await sleep(2000);
  const broken = await through(lab, home);
  assert.notEqual(broken.local.equal === true && broken.remote.equal === true, true, 'the forwards are down while sshd is');
  await lab.startSshd();
}

test('tether -N: -L and -R carry bytes again after sshd is killed and restarted, in the same process', { timeout: 120_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const home = tempDir(t, 'tunnel');
  await startEchoes(t, lab);
  const tether = lab.spawnInClient(process.execPath, [TETHER_BIN, ...keyOptions(lab), '-N', ...FORWARDS, dest(lab)], { stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv(home) });
  let stderr = '';
  tether.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  t.after(() => tether.kill('SIGKILL'));

  const up = await waitBoth(lab, home, 'both forwards to carry bytes', 20_000, () => stderr);
  t.diagnostic(`[heal-lab] tunnel up: -L ${JSON.stringify(up.local)}, -R ${JSON.stringify(up.remote)}`);
  await restartSshd(lab, home);
  const again = await waitBoth(lab, home, 'both forwards to carry bytes again', 30_000, () => stderr);
  t.diagnostic(`[heal-lab] tunnel after the sshd restart: -L ${JSON.stringify(again.local)}, -R ${JSON.stringify(again.remote)}; tether said ${JSON.stringify(stderr.trim())}`);
  assert.equal(tether.exitCode, null, 'the same tether process, still running');
  assert.match(stderr, /back after/, 'tether says the link is back');
});

test('interactive tether -L -R: the same shell and both forwards back after sshd is killed and restarted', { timeout: 120_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start, scratch }) => {
    await startEchoes(t, lab);
    const home = scratch('forward-home');
    const r = await start({ args: FORWARDS });
    const screen = (): string => r.driver.screenText();
    await waitBoth(lab, home, 'both forwards to carry bytes', 20_000, screen);
    const before = await remoteShellPid(r, 'before');
    await restartSshd(lab, home);
    await waitForRestore(r, 30_000);
    assert.equal(await remoteShellPid(r, 'after'), before, 'the same remote shell after the heal');
    const again = await waitBoth(lab, home, 'both forwards to carry bytes after the heal', 20_000, screen);
    t.diagnostic(`[heal-lab] interactive forwards after the heal: -L ${JSON.stringify(again.local)}, -R ${JSON.stringify(again.remote)}`);
  });
});

test('interactive tether -A: the same shell reaches the agent again after sshd is killed and restarted', { timeout: 120_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start, scratch }) => {
    const home = scratch('agent-home');
    const sock = join(scratch('agent'), 'agent.sock');
    const key = await lab.generateClientKey({ authorize: false });
    await startAgent(t, lab, home, sock, key.privatePath);
    const comment = key.publicKey.trim().split(' ')[2] ?? '';
    const r = await start({ args: ['-A'], env: { SSH_AUTH_SOCK: sock } });
    // the listing's status and the key's comment on one line: "agent-1 rc=0 tether-lab-key-2"
    const ask = (n: number): string => `echo agent-${n} rc=$(ssh-add -L >/dev/null 2>&1; echo $?) $(ssh-add -L 2>/dev/null | cut -d" " -f3)`;
    typeLine(r, ask(1));
    await r.driver.waitForText(/^agent-1 rc=\d/m, 10_000);
    assert.match(r.driver.screenText(), new RegExp(`^agent-1 rc=0 ${comment}`, 'm'), 'the agent is reachable before');
    const before = await remoteShellPid(r, 'before');
    await restartSshd(lab, home);
    await waitForRestore(r, 30_000);
    assert.equal(await remoteShellPid(r, 'after'), before, 'the same remote shell after the heal');
    typeLine(r, ask(2));
    await r.driver.waitForText(/^agent-2 rc=\d/m, 10_000);
    const screen = r.driver.screenText();
    t.diagnostic(`[heal-lab] agent after the heal: ${JSON.stringify(screen.split('\n').filter((l) => /^agent-\d rc=/.test(l)))}`);
    assert.match(screen, new RegExp(`^agent-2 rc=0 ${comment}`, 'm'), 'ssh-add -L in the same shell lists the key after the heal');
  });
});
