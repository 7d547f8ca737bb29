// `npm run fuzz [-- RUNS]`: every src/**/*.fuzz.test.ts with RUNS cases per property (default 100,000; the unit
// tier runs the same files with a few hundred), then a table of cases and times for BENCHMARKS.md.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (name.endsWith('.fuzz.test.ts')) out.push(p);
  }
  return out.sort();
}

const runs = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`fuzz: RUNS must be a positive whole number, not '${process.argv[2]}'`);
  process.exit(2);
}
const files = find('src');
const started = Date.now();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-concurrency=1', ...files], {
  encoding: 'utf8',
  maxBuffer: 64 << 20,
  env: { ...process.env, TETHER_FUZZ_RUNS: String(runs) },
});
const out = `${r.stdout}${r.stderr}`;
const rows = [...out.matchAll(/^\s*# fuzz (.+?): (\d+) cases in (\d+) ms \(slowest ([\d.]+) ms\)$/gm)];
const failed = [...out.matchAll(/^\s*not ok \d+ - (.+)$/gm)].map((m) => m[1]);
console.log(`| property | cases | time | slowest case |\n| --- | ---: | ---: | ---: |`);
for (const [, name, n, ms, slow] of rows) console.log(`| ${name} | ${Number(n).toLocaleString('en-US')} | ${(Number(ms) / 1000).toFixed(1)} s | ${slow} ms |`);
console.log(`\n${rows.length} properties in ${files.length} files, ${((Date.now() - started) / 1000).toFixed(0)} s in all; ${failed.length} failed`);
if (r.status !== 0 || failed.length > 0) {
  console.log(out.split('\n').filter((l) => /not ok|Counterexample|Shrunk|seed|error:|one case took|threw|unclear/.test(l)).join('\n'));
  process.exit(1);
}
