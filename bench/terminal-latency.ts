// Keystroke-to-echo latency through the terminal layer: a key typed into a pty running either a
// bare node pty relay or TerminalUI (the ui-demo fixture), both with `cat` behind a second pty
// whose line discipline echoes. Keys are 20 ms apart (typing pace). Prints median and p95.
//   node --import tsx bench/terminal-latency.ts [N=300]
import * as pty from 'node-pty';
import { join, resolve } from 'node:path';

const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 300);
const root = resolve(import.meta.dirname, '..');

/** Round-trip times (ms) of single keys through argv running in an 80x24 pty. */
async function measure(argv: string[]): Promise<number[]> {
  const p = pty.spawn(argv[0] as string, argv.slice(1), { cols: 80, rows: 24, cwd: root, env: { ...(process.env as Record<string, string>), TERM: 'xterm-256color' } });
  let seen = '';
  let wake: (() => void) | null = null;
  p.onData((d) => {
    if (d.includes('\x1b[6n')) p.write('\x1b[1;1R'); // answer TerminalUI's cursor query like a terminal
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
  // warm up until the echo path works
  for (;;) {
    seen = '';
    p.write('w');
    const ok = await Promise.race([waitFor('w').then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 500))]);
    if (ok) break;
  }
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = String.fromCharCode(97 + (i % 26));
    seen = '';
    const t0 = process.hrtime.bigint();
    p.write(key);
    await waitFor(key);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    await new Promise((r) => setTimeout(r, 20)); // typing pace: each key meets an idle process
  }
  p.kill('SIGKILL');
  return times.sort((a, b) => a - b);
}

const pct = (t: number[], q: number): string => (t[Math.min(t.length - 1, Math.floor(q * t.length))] ?? NaN).toFixed(3);
const relay = await measure([process.execPath, '--import', 'tsx', join(root, 'test/fixtures/raw-relay.ts'), '--', 'cat']);
const ui = await measure([process.execPath, '--import', 'tsx', join(root, 'test/fixtures/ui-demo.ts'), '--', 'cat']);
console.log(`keystroke-to-echo over ${n} keys (ms): median / p95`);
console.log(`  node pty relay (baseline): ${pct(relay, 0.5)} / ${pct(relay, 0.95)}`);
console.log(`  TerminalUI with bar:       ${pct(ui, 0.5)} / ${pct(ui, 0.95)}  (median added ${(Number(pct(ui, 0.5)) - Number(pct(relay, 0.5))).toFixed(3)} ms)`);
