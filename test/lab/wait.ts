// Waiting on spawned processes in lab tests: for output, for exit. Each wait has a deadline so a test fails, never hangs.
import type { ChildProcess } from 'node:child_process';

/** Collects a child's stdout and stderr as text (call right after spawning). */
export function collect(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  return { stdout: () => out, stderr: () => err };
}

/** Resolves when `pattern` has appeared in the child's stdout (+stderr); rejects on exit or after timeoutMs. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => finish(new Error(`no ${pattern} within ${timeoutMs} ms; output so far: ${JSON.stringify(seen)}`)), timeoutMs);
    const onData = (d: Buffer | string): void => {
      seen += d.toString();
      if (pattern.test(seen)) finish();
    };
    const onExit = (): void => finish(new Error(`process exited before ${pattern}; output: ${JSON.stringify(seen)}`));
    function finish(err?: Error): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(seen);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Resolves with the exit code (or signal) of a child; rejects after timeoutMs. */
export function waitForExit(child: ChildProcess, timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`process ${child.pid} still running after ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** Sleeps; lab tests use it only to let a fault take effect (e.g. outlast an idle timeout), never to measure. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it returns a truthy value (resolved with it) or rejects with `what` after timeoutMs. */
export async function waitUntil<T>(check: () => Promise<T> | T, what: string, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
