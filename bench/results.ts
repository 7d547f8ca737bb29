// The shape of bench/results/latest.json: one entry per benchmark, one row per tool, raw samples kept.
import type { Summary } from './stats.js';

/** A target a tether row is judged against (on its median). */
export type Target =
  | { kind: 'max'; value: number; text: string }
  | { kind: 'ratio'; value: number; text: string }
  | { kind: 'added'; value: number; text: string }
  | { kind: 'none'; text: string };

/** One tool's results in one benchmark. */
export interface Row {
  /** Tool label, e.g. "tether" or "ssh -o ServerAliveInterval=5". */
  tool: string;
  /** The command line that was run (lab addresses; key and known_hosts options left out). */
  command: string;
  summary: Summary;
  /** True on the OpenSSH row the ratios are taken against. */
  baseline?: boolean;
  /** True on rows the target applies to (tether). */
  targeted?: boolean;
  /** Anything a reader must know about this row (e.g. "never recovered"). */
  note?: string;
}

/** One benchmark's table. */
export interface BenchResult {
  id: string;
  title: string;
  /** Unit of the medians ("ms", "packets/h", "s", "ms CPU/min"). */
  unit: string;
  target: Target;
  rows: Row[];
  /** How it was measured, and caveats. */
  notes: string[];
}

/** The whole run. */
export interface RunResults {
  date: string;
  command: string;
  quick: boolean;
  durationS: number;
  machine: { nproc: number; node: string; ssh: string; kernel: string; loadavgStart: number[]; loadavgEnd: number[]; tools: Record<string, string> };
  benchmarks: BenchResult[];
}
