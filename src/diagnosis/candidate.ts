// A cause under consideration: its confidence built up from facts, each fact kept as evidence.
import type { Cause } from './cause.js';

/** One cause a rule argues for, with the facts it relied on. */
export interface Candidate {
  cause: Cause;
  /** 0..1, see classify.ts for the scale. */
  confidence: number;
  evidence: string[];
}

/** Accumulates confidence and evidence for one cause; facts with empty text add no line. */
export class CandidateBuilder {
  /** Running confidence, clamped on build. */
  private score: number;
  /** Evidence lines in the order the facts were weighed. */
  private readonly lines: string[] = [];

  constructor(
    private readonly cause: Cause,
    base: number,
  ) {
    this.score = base;
  }

  /** Record a fact that the cause rests on (no change to the score). */
  fact(text: string): this {
    if (text !== '' && !this.lines.includes(text)) this.lines.push(text);
    return this;
  }

  /** When `cond`, add `delta` (may be negative) and record the fact. */
  weigh(cond: boolean, delta: number, text: string): this {
    if (!cond) return this;
    this.score += delta;
    return this.fact(text);
  }

  build(): Candidate {
    const confidence = Math.round(Math.min(0.99, Math.max(0.05, this.score)) * 100) / 100;
    return { cause: this.cause, confidence, evidence: [...this.lines] };
  }
}
