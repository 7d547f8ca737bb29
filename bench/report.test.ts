// The bench's arithmetic and verdicts: percentiles, ratios, and whether a tether row meets its target.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderMarkdown, verdict } from './report.js';
import type { BenchResult, RunResults } from './results.js';
import { ratio, summarize } from './stats.js';

test('summarize: nearest-rank median and p90, failures counted apart', () => {
  const s = summarize([5, 1, null, 3, 2, 4, Number.NaN, 10, 9, 8, 7, 6]);
  assert.equal(s.n, 10);
  assert.equal(s.failed, 2);
  assert.equal(s.median, 5);
  assert.equal(s.p90, 9);
  assert.deepEqual(summarize([]), { median: null, p90: null, n: 0, failed: 0, samples: [] });
  assert.equal(summarize([7]).p90, 7);
});

test('ratio: null when a side is missing or the base is 0', () => {
  assert.equal(ratio(3, 2), 1.5);
  assert.equal(ratio(null, 2), null);
  assert.equal(ratio(3, 0), null);
});

function bench(target: BenchResult['target'], tether: (number | null)[], ssh: number[]): BenchResult {
  return {
    id: 'x',
    title: 'X',
    unit: 'ms',
    target,
    notes: ['a note'],
    rows: [
      { tool: 'ssh', command: 'ssh h', summary: summarize(ssh), baseline: true },
      { tool: 'tether', command: 'tether h', summary: summarize(tether), targeted: true },
    ],
  };
}

test('verdict: max, ratio and added targets on the median; missing data is not met', () => {
  const tetherRow = (b: BenchResult): BenchResult['rows'][number] => b.rows[1] as BenchResult['rows'][number];
  const max = bench({ kind: 'max', value: 2000, text: '' }, [1000, 3000, 1500], [16000]);
  assert.equal(verdict(max, tetherRow(max)), 'met');
  const slow = bench({ kind: 'max', value: 1000, text: '' }, [1500, 1200], [16000]);
  assert.equal(verdict(slow, tetherRow(slow)), '**not met**');
  const r = bench({ kind: 'ratio', value: 1.2, text: '' }, [13], [10]);
  assert.equal(verdict(r, tetherRow(r)), '**not met**');
  const a = bench({ kind: 'added', value: 1, text: '' }, [1.5], [0.6]);
  assert.equal(verdict(a, tetherRow(a)), 'met');
  const none = bench({ kind: 'max', value: 1, text: '' }, [null], [1]);
  assert.equal(verdict(none, tetherRow(none)), 'no data: **not met**');
  assert.equal(verdict(a, a.rows[0] as BenchResult['rows'][number]), '', 'baseline rows are not judged');
});

test('renderMarkdown: the command, the machine, a targets table and each benchmark with its commands', () => {
  const res: RunResults = {
    date: '2026-01-01T00:00:00.000Z',
    command: 'npm run bench -- --quick',
    quick: true,
    durationS: 100,
    machine: { nproc: 2, node: 'v20', ssh: 'OpenSSH_9.2p1', kernel: '6.1', loadavgStart: [1, 1, 1], loadavgEnd: [2, 2, 2], tools: { mosh: 'not installed' } },
    benchmarks: [bench({ kind: 'max', value: 1000, text: 'tether ≤ 1 s' }, [1500], [16000])],
  };
  const md = renderMarkdown(res);
  assert.match(md, /`npm run bench -- --quick`/);
  assert.match(md, /OpenSSH_9\.2p1/);
  assert.match(md, /\| X \| tether \| 1\.50 s \| tether ≤ 1 s \| \*\*not met\*\* \|/);
  assert.match(md, /- tether: `tether h`/);
  assert.match(md, /\| ssh \(baseline\) \| 16\.00 s \|/);
});
