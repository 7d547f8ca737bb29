// Streams N MiB of text through a pty, plain (`cat`), through a bare node pty relay, and through TerminalUI (the ui-demo fixture
// with `cat` as the "remote"), and prints the wall time of each. The reader discards the bytes,
// so what is measured is the cost tether's terminal layer adds, not a terminal emulator's.
//   node --import tsx bench/terminal-stream.ts [MiB=256] [--sgr]
import * as pty from 'node-pty';
import { mkdtempSync, rmSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const mib = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 256);
const sgr = process.argv.includes('--sgr');
const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'tether-bench-'));
const file = join(dir, 'text');
const line = sgr ? 'the quick brown fox \x1b[32mjumps\x1b[0m over the lazy dog 0123456789 abcdefghij\n' : 'the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwx\n';
const block = Buffer.from(line.repeat(Math.ceil((1 << 20) / line.length)));
const fd = openSync(file, 'w');
for (let i = 0; i < mib; i++) writeSync(fd, block);
closeSync(fd);

/** Runs argv in an 80x24 pty, discarding output; resolves to seconds and bytes read. */
function run(argv: string[]): Promise<{ s: number; bytes: number }> {
  return new Promise((done) => {
    const t0 = process.hrtime.bigint();
    let bytes = 0;
    const p = pty.spawn(argv[0] as string, argv.slice(1), { cols: 80, rows: 24, cwd: root, env: { ...(process.env as Record<string, string>), TERM: 'xterm-256color' } });
    p.onData((d) => {
      bytes += d.length;
    });
    p.onExit(() => done({ s: Number(process.hrtime.bigint() - t0) / 1e9, bytes }));
  });
}

const demo = [process.execPath, '--import', 'tsx', join(root, 'test/fixtures/ui-demo.ts'), '--', 'cat', file];
const plain = await run(['cat', file]);
const relay = await run([process.execPath, '--import', 'tsx', join(root, 'test/fixtures/raw-relay.ts'), '--', 'cat', file]);
const ui = await run(demo);
const uiNoStatus = await run([...demo.slice(0, 4), '--no-status', ...demo.slice(4)]);
const fmt = (r: { s: number }): string => `${r.s.toFixed(2)} s (${(mib / r.s).toFixed(0)} MiB/s)`;
console.log(`${mib} MiB ${sgr ? 'SGR-coloured ' : ''}text through an 80x24 pty, output discarded`);
console.log(`  plain cat:                 ${fmt(plain)}`);
console.log(`  node pty relay (baseline): ${fmt(relay)}`);
console.log(`  TerminalUI with bar:       ${fmt(ui)}  ratio to relay ${(ui.s / relay.s).toFixed(2)}`);
console.log(`  TerminalUI --no-status:    ${fmt(uiNoStatus)}  ratio to relay ${(uiNoStatus.s / relay.s).toFixed(2)}`);
rmSync(dir, { recursive: true, force: true });
