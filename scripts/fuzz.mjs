// `npm run fuzz [-- RUNS] [-- --write]`: every src/**/*.fuzz.test.ts with RUNS cases per property (default 100,000;
// the unit tier runs the same files with a few hundred), then a table of cases and times. With --write the table
// becomes BENCHMARKS.md's fuzzing section (bench/results/fuzz.md, which `npm run bench` keeps when it regenerates).
import { readdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeSection } from './bench-section.mjs';

function find(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (name.endsWith('.fuzz.test.ts')) out.push(p);
  }
  return out.sort();
}

const args = process.argv.slice(2);
const write = args.includes('--write');
const runsArg = args.find((a) => a !== '--write');
const runs = Number(runsArg ?? 100_000);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`fuzz: RUNS must be a positive whole number, not '${runsArg}'`);
  process.exit(2);
}
const files = find('src');
const started = Date.now();
const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-concurrency=1', ...files], {
  encoding: 'utf8',
  maxBuffer: 64 << 20,
  env: { ...process.env, TETHER_FUZZ_RUNS: String(runs) },
});
const out = `${r.stdout}${r.stderr}`;
const rows = [...out.matchAll(/^\s*# fuzz (.+?): (\d+) cases in (\d+) ms \(slowest ([\d.]+) ms\)$/gm)];
const failed = [...out.matchAll(/^\s*not ok \d+ - (.+)$/gm)].map((m) => m[1]);
const table = [`| property | cases | time | slowest case |`, `| --- | ---: | ---: | ---: |`];
for (const [, name, n, ms, slow] of rows) table.push(`| ${name} | ${Number(n).toLocaleString('en-US')} | ${(Number(ms) / 1000).toFixed(1)} s | ${slow} ms |`);
const summary = `${rows.length} properties in ${files.length} files, ${((Date.now() - started) / 1000).toFixed(0)} s in all; ${failed.length} failed`;
console.log(`${table.join('\n')}\n\n${summary}`);
if (r.status !== 0 || failed.length > 0) {
  console.log(out.split('\n').filter((l) => /not ok|Counterexample|Shrunk|seed|error:|one case took|threw|unclear/.test(l)).join('\n'));
  process.exit(1);
}
if (write) {
  writeSection('.', 'fuzz', [
    '## Fuzzing: parsers of outside input',
    '',
    `Made by \`npm run fuzz -- ${runs} --write\` on ${new Date().toISOString()}: ${summary}. Machine: ${cpus().length} CPUs, Node ${process.version}; load average ${loadBefore} at the start and ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end (other work was running).`,
    '',
    'Each property runs its cases through fast-check (the properties are in `src/**/*.fuzz.test.ts`: no throw but a TetherError with a clear message, a bound of 10 s per case against hangs, and an invariant: a round trip, split-invariance or independence of lines). The slowest case includes garbage collection and other jobs on the machine.',
    '',
    ...table,
  ].join('\n'));
  console.log('wrote bench/results/fuzz.md and its section of BENCHMARKS.md');
}
