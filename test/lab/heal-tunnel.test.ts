// `tether -N -L … -R …` is a tunnel that stays up (autossh's job): sshd is killed (master and sessions) and started
// again, and the same tether process carries bytes through both forwards again without anyone touching it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TETHER_BIN, cleanEnv, dest, keyOptions, runInClient, tempDir } from '../helpers/foundation.js';
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

test('tether -N: -L and -R carry bytes again after sshd is killed and restarted, in the same process', { timeout: 120_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const home = tempDir(t, 'tunnel');
  const serverEcho = lab.spawnInServer(process.execPath, ['-e', ECHO_SERVER, String(SERVER_ECHO)], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => serverEcho.kill('SIGKILL'));
  const clientEcho = lab.spawnInClient(process.execPath, ['-e', ECHO_SERVER, String(CLIENT_ECHO)], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => clientEcho.kill('SIGKILL'));
  await Promise.all([waitForOutput(serverEcho, /listening/, 10_000), waitForOutput(clientEcho, /listening/, 10_000)]);

  const argv = [
    ...keyOptions(lab),
    '-N',
    '-L', `127.0.0.1:${LOCAL_PORT}:127.0.0.1:${SERVER_ECHO}`,
    '-R', `127.0.0.1:${REMOTE_PORT}:127.0.0.1:${CLIENT_ECHO}`,
    dest(lab),
  ];
  const tether = lab.spawnInClient(process.execPath, [TETHER_BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv(home) });
  let stderr = '';
  tether.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  t.after(() => tether.kill('SIGKILL'));

  let last: { local: EchoResult; remote: EchoResult } | undefined;
  const bothWork = async (): Promise<boolean> => {
    last = await through(lab, home);
    return last.local.equal === true && last.remote.equal === true;
  };
  const waitBoth = async (what: string, ms: number): Promise<void> => {
    await waitUntil(bothWork, what, ms, 300).catch((err: unknown) => {
      throw new Error(`${String(err)}; last try ${JSON.stringify(last)}; tether stderr: ${stderr}`);
    });
  };
  await waitBoth('both forwards to carry bytes', 20_000);
  t.diagnostic(`[heal-lab] tunnel up: -L ${JSON.stringify(last?.local)}, -R ${JSON.stringify(last?.remote)}`);

  await lab.killSshdAll();
  await sleep(2000);
  const broken = await through(lab, home);
  assert.notEqual(broken.local.equal === true && broken.remote.equal === true, true, 'the forwards are down while sshd is');
  await lab.startSshd();
  await waitBoth('both forwards to carry bytes again', 30_000);
  t.diagnostic(`[heal-lab] tunnel after the sshd restart: -L ${JSON.stringify(last?.local)}, -R ${JSON.stringify(last?.remote)}; tether said ${JSON.stringify(stderr.trim())}`);
  assert.equal(tether.exitCode, null, 'the same tether process, still running');
  assert.match(stderr, /back after/, 'tether says the link is back');
});
