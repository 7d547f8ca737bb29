// What the benchmark-tier lab scripts (soak, many) share: their count argument and running one lab test file.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The count in argv (the one word that is not --write), `fallback` when absent; exits 2 when it is not a whole number ≥ min. */
export function countArg(args, fallback, min, script, what) {
  const arg = args.find((a) => a !== '--write');
  const n = Number(arg ?? fallback);
  if (!Number.isInteger(n) || n < min) {
    console.error(`${script}: ${what} must be a whole number of at least ${min}, not '${arg}'`);
    process.exit(2);
  }
  return n;
}

/** Runs one test file of test/lab with the TAP reporter and `env` added; its whole output is also kept in a temp file. */
export function runLabTest(file, env, tag) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-concurrency=1', file], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env: { ...process.env, ...env },
  });
  const out = `${r.stdout}${r.stderr}`;
  const kept = join(tmpdir(), `tether-${tag}-${Date.now()}.tap`);
  writeFileSync(kept, out);
  return { status: r.status, out, kept };
}
