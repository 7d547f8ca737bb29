// Runs the test tiers with Node's built-in runner through tsx: unit, integration, lab, e2e.
// `node scripts/run-tests.mjs [tier ...]` runs the named tiers only; with none, all of them.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const tiers = {
  unit: { dirs: ['src', 'bench', 'scripts'], concurrency: 2 },
  integration: { dirs: ['test/integration'], concurrency: 2 },
  lab: { dirs: ['test/lab'], concurrency: 1 },
  e2e: { dirs: ['test/e2e'], concurrency: 1 },
};

function find(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(tiers);
let failed = false;
for (const name of names) {
  const tier = tiers[name];
  if (!tier) {
    console.error(`run-tests: unknown tier '${name}' (known: ${Object.keys(tiers).join(', ')})`);
    process.exit(2);
  }
  const files = tier.dirs.flatMap(find);
  if (files.length === 0) continue;
  console.log(`\n=== ${name}: ${files.length} file(s)`);
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${tier.concurrency}`, '--test-timeout=600000', ...files],
    { stdio: 'inherit', env: { ...process.env, TETHER_TEST_TIER: name } },
  );
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
