// Property/fuzz testing with fast-check for the parsers of untrusted or typed input (src/**/*.fuzz.test.ts).
// The case count comes from TETHER_FUZZ_RUNS: small in the unit tier, 100,000 under `npm run fuzz`.
import type { TestContext } from 'node:test';
import fc from 'fast-check';
import { TetherError } from '../../src/common/errors.js';

/** Cases per property (the unit tier's default keeps all fuzzing there to a few seconds). */
export const FUZZ_RUNS = positive(process.env.TETHER_FUZZ_RUNS) ?? 200;
/** A fixed seed to replay a failure (fast-check prints the seed and path of every counterexample). */
const SEED = positive(process.env.TETHER_FUZZ_SEED);
/** One case slower than this is taken for a hang or a blow-up: the inputs are at most a few KB and a case takes
 * microseconds to milliseconds, so the bound is far off even on a loaded machine (a GC pause, another job). */
export const CASE_LIMIT_MS = 10_000;

function positive(s: string | undefined): number | undefined {
  const n = Number(s);
  return s !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * Checks `check` on FUZZ_RUNS generated values; a case that throws, or runs longer than CASE_LIMIT_MS, fails with
 * fast-check's shrunk counterexample. Reports `fuzz NAME: N cases in T ms` as a test diagnostic (read by
 * scripts/fuzz.mjs for BENCHMARKS.md).
 */
export function fuzz<T>(t: TestContext, name: string, arb: fc.Arbitrary<T>, check: (value: T) => void): void {
  const started = performance.now();
  let slowest = 0;
  fc.assert(
    fc.property(arb, (value) => {
      const t0 = performance.now();
      check(value);
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      if (ms > CASE_LIMIT_MS) throw new Error(`one case took ${ms.toFixed(0)} ms: a hang or a blow-up`);
    }),
    { numRuns: FUZZ_RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
  );
  const total = performance.now() - started;
  t.diagnostic(`fuzz ${name}: ${FUZZ_RUNS} cases in ${total.toFixed(0)} ms (slowest ${slowest.toFixed(2)} ms)`);
}

/** A message a user can act on: not empty, no `undefined`/`[object Object]`/`NaN` leaking from a bug (unless the
 * input itself said so: `-e NaN` is quoted back as typed). */
export function assertClearMessage(err: TetherError, input = ''): void {
  const m = err.message;
  const leak = ['undefined', '[object Object]', 'NaN'].find((w) => m.includes(w) && !input.includes(w));
  if (m.trim() === '' || leak !== undefined) throw new Error(`unclear error message: ${JSON.stringify(m)}`);
}

/** Runs `f`: its value, or the TetherError it threw (with a clear message); any other throw fails the case. `input`
 * is the text the case parsed (words it contains may be quoted back in a message). */
export function tetherOnly<R>(f: () => R, input = ''): { ok: true; value: R } | { ok: false; error: TetherError } {
  try {
    return { ok: true, value: f() };
  } catch (err) {
    if (!(err instanceof TetherError)) throw new Error(`threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)} (only TetherError is allowed)`, { cause: err });
    assertClearMessage(err, input);
    return { ok: false, error: err };
  }
}

/** Splits `bytes` at the given cut points (any numbers: taken modulo the length, sorted, deduplicated). */
export function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  if (bytes.length === 0) return [bytes];
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const c of at) {
    parts.push(bytes.subarray(from, c));
    from = c;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

export { fc };
