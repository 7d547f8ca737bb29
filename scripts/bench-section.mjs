// A section of BENCHMARKS.md written by a script of its own (fuzz, soak) rather than by `npm run bench`: kept in
// bench/results/NAME.md and spliced into BENCHMARKS.md between markers, so either writer keeps the other's part.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

/** The markers around section NAME. */
export function markers(name) {
  return { begin: `<!-- ${name}: written by scripts/${name}.mjs --write -->`, end: `<!-- ${name}: end -->` };
}

/** Writes bench/results/NAME.md and puts it into BENCHMARKS.md (replacing the old one, or at the end). */
export function writeSection(root, name, body) {
  const { begin, end } = markers(name);
  const section = `${begin}\n${body.trim()}\n${end}\n`;
  writeFileSync(join(root, 'bench', 'results', `${name}.md`), section);
  const file = join(root, 'BENCHMARKS.md');
  const md = readFileSync(file, 'utf8');
  const at = md.indexOf(begin);
  const stop = at < 0 ? -1 : md.indexOf(end, at);
  const before = at < 0 ? md : md.slice(0, at);
  const after = stop < 0 ? '' : md.slice(stop + end.length).replace(/^\n/, '');
  writeFileSync(file, `${before.trimEnd()}\n\n${section}${after}`);
}

const loadNow = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/**
 * Call when a section's run starts; `madeBy(command)` is then its "Made by" line: the command, when and how long,
 * the machine, and the load average at the start and at the end.
 */
export function runStamp() {
  const started = Date.now();
  const loadBefore = loadNow();
  return {
    madeBy: (command) =>
      `Made by \`${command}\` on ${new Date().toISOString()} (${((Date.now() - started) / 60000).toFixed(1)} min). Machine: ${cpus().length} CPUs, Node ${process.version}; load average ${loadBefore} at the start and ${loadNow()} at the end.`,
  };
}
