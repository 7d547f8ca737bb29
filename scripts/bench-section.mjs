// A section of BENCHMARKS.md written by a script of its own (fuzz, soak) rather than by `npm run bench`: kept in
// bench/results/NAME.md and spliced into BENCHMARKS.md between markers, so either writer keeps the other's part.
import { readFileSync, writeFileSync } from 'node:fs';
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
