// End-to-end: non-interactive bin/tether through pipes behaves like ssh: the command's bytes, its status, no UI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startDemoWorld } from '../../src/cli/demo/setup.js';
import { ROOT, TETHER_BIN, built } from '../helpers/tether-pty.js';

const skip = built() ? false : 'dist/ is not built: run `npm run build` first';

/** Runs tether with pipes on all three streams; stdin is closed at once. */
function run(args: readonly string[], env: NodeJS.ProcessEnv, input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TETHER_BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('latin1')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('latin1')));
    child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('a command through a pipe: its stdout, its exit status, no status bar bytes', { skip }, async () => {
  const world = await startDemoWorld();
  try {
    const env = { ...process.env, XDG_STATE_HOME: world.dir, XDG_CONFIG_HOME: world.dir, TERM: 'xterm-256color' };
    const r = await run([...world.sshArgs, 'echo hi; exit 7'], env);
    assert.equal(r.stdout, 'hi\n', `stderr: ${r.stderr}`);
    assert.equal(r.code, 7);
    assert.ok(!(r.stdout + r.stderr).includes('\x1b'), 'no terminal control bytes');
    assert.doesNotMatch(r.stdout + r.stderr, /connected|keep-alive/);
  } finally {
    await world.close();
  }
});

test('stdin goes to the remote command, stderr stays apart, and a refused connection is status 255 with ssh\'s words', { skip }, async () => {
  const world = await startDemoWorld();
  try {
    const env = { ...process.env, XDG_STATE_HOME: world.dir, XDG_CONFIG_HOME: world.dir, TERM: 'xterm-256color' };
    const piped = await run([...world.sshArgs, 'tr a-z A-Z; echo to-stderr >&2'], env, 'through the pipe\n');
    assert.equal(piped.stdout, 'THROUGH THE PIPE\n');
    assert.equal(piped.stderr, 'to-stderr\n');
    assert.equal(piped.code, 0);
    world.proxy.inject('refuse');
    const refused = await run([...world.sshArgs, 'true'], env);
    assert.equal(refused.code, 255);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, new RegExp(`^ssh: connect to host 127\\.0\\.0\\.1 port ${world.proxy.port}: Connection refused\\r\\n$`));
  } finally {
    await world.close();
  }
});
