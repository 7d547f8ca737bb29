// Prints doctor's progress lines and findings: marks on a terminal, plain words when piped, JSON objects with --json.
import type { ConfigLines, Finding, Mark, StepLine } from './types.js';

/** How output is shown. */
export type RenderMode = 'tty' | 'plain' | 'json';

const TTY_MARK: Record<Mark, string> = { ok: '✓', fail: '✗', warn: '!', info: '·' };
const PLAIN_MARK: Record<Mark, string> = { ok: 'ok  ', fail: 'FAIL', warn: 'warn', info: 'info' };
const SEVERITY_MARK: Record<Finding['severity'], Mark> = { error: 'fail', warn: 'warn', info: 'info' };

/** One progress line (with its newline). */
export function renderStep(line: StepLine, mode: RenderMode): string {
  if (mode === 'json') return `${JSON.stringify({ type: 'step', ...line })}\n`;
  const mark = mode === 'tty' ? TTY_MARK[line.mark] : PLAIN_MARK[line.mark];
  return `${mark} ${line.text}\n`;
}

function configBlock(c: ConfigLines): string[] {
  return [`  add to ${c.file}:`, ...c.lines.map((l) => `      ${l}`)];
}

/** The findings section, and the lines to add gathered by file at the end. */
export function renderFindings(findings: readonly Finding[], mode: RenderMode): string {
  if (mode === 'json') return findings.map((f) => `${JSON.stringify({ type: 'finding', ...f })}\n`).join('');
  const marks = mode === 'tty' ? TTY_MARK : PLAIN_MARK;
  const out: string[] = ['', 'Findings:'];
  if (findings.length === 0) out.push(`${marks.ok} nothing wrong found`);
  for (const f of findings) {
    out.push(`${marks[SEVERITY_MARK[f.severity]]} ${f.title}`);
    for (const e of f.evidence) out.push(`    evidence: ${e}`);
    for (const a of f.advice) out.push(`    - ${a}`);
  }
  const blocks = mergeConfig(findings);
  if (blocks.length > 0) {
    out.push('', 'Lines to add:');
    for (const b of blocks) out.push(...configBlock(b));
  }
  return `${out.join('\n')}\n`;
}

/** Config lines of all findings, one block per file, each line once (a `Host x` header is not repeated). */
export function mergeConfig(findings: readonly Finding[]): ConfigLines[] {
  const byFile = new Map<string, string[]>();
  for (const f of findings) {
    for (const c of f.config ?? []) {
      const lines = byFile.get(c.file) ?? [];
      for (const l of c.lines) {
        // a setting already given by an earlier finding keeps the first value (as ssh_config does)
        const key = l.trim().split(/\s+/)[0]?.toLowerCase() ?? l;
        if (!lines.some((x) => x === l || (!/^host$/i.test(key) && x.trim().split(/\s+/)[0]?.toLowerCase() === key))) lines.push(l);
      }
      byFile.set(c.file, lines);
    }
  }
  return [...byFile].map(([file, lines]) => ({ file, lines }));
}
