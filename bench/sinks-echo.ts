// Keystroke-to-echo latency with the log sinks failing beside the session: the raw relay of
// terminal-latency.ts, alone and with a dead syslog and a dead OTLP sink retried every 50-200 ms while a
// reset is recorded every 100 ms (test/fixtures/sink-relay.ts). Keys 20 ms apart. Prints median and p95.
//   node --import tsx bench/sinks-echo.ts [N=300]
import * as pty from 'node-pty';
import { join, resolve } from 'node:path';
import { freePort } from '../test/helpers/rsyslog.js';

const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 300);
const root = resolve(import.meta.dirname, '..');

/** Round-trip times (ms) of single keys through argv running in an 80x24 pty. */
async function measure(argv: string[]): Promise<number[]> {
  const p = pty.spawn(argv[0] as string, argv.slice(1), { cols: 80, rows: 24, cwd: root, env: { ...(process.env as Record<string, string>), TERM: 'xterm-256color' } });
  let seen = '';
  let wake: (() => void) | null = null;
  p.onData((d) => {
    seen += d;
    wake?.();
  });
  const waitFor = (s: string): Promise<void> =>
    new Promise((res) => {
      const check = (): void => {
        if (seen.includes(s)) {
          wake = null;
          res();
        }
      };
      wake = check;
      check();
    });
  for (;;) {
    seen = '';
    p.write('w');
    const ok = await Promise.race([waitFor('w').then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 500))]);
    if (ok) break;
  }
  // let the sinks get going (SDK loaded, first failures, queue filling)
  await new Promise((r) => setTimeout(r, 1500));
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = String.fromCharCode(97 + (i % 26));
    seen = '';
    const t0 = process.hrtime.bigint();
    p.write(key);
    await waitFor(key);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    await new Promise((r) => setTimeout(r, 20));
  }
  // SIGTERM: the sink fixture removes its queue directory
  p.kill('SIGTERM');
  return times.sort((a, b) => a - b);
}

const pct = (t: number[], q: number): string => (t[Math.min(t.length - 1, Math.floor(q * t.length))] ?? NaN).toFixed(3);
const relay = await measure([process.execPath, '--import', 'tsx', join(root, 'test/fixtures/raw-relay.ts'), '--', 'cat']);
const sinks = await measure([process.execPath, '--import', 'tsx', join(root, 'test/fixtures/sink-relay.ts'), String(await freePort()), '--', 'cat']);
console.log(`keystroke-to-echo over ${n} keys (ms): median / p95`);
console.log(`  relay alone:                 ${pct(relay, 0.5)} / ${pct(relay, 0.95)}`);
console.log(`  relay, two sinks down:       ${pct(sinks, 0.5)} / ${pct(sinks, 0.95)}  (median added ${(Number(pct(sinks, 0.5)) - Number(pct(relay, 0.5))).toFixed(3)} ms)`);
