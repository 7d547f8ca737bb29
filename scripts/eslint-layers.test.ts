// The local layer rules on a small project on disk: a wrong-way import and a cycle are
// reported, the allowed imports are not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const plugin = join(repo, 'scripts', 'eslint-layers.mjs');
const eslintBin = join(repo, 'node_modules', 'eslint', 'bin', 'eslint.js');

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tether-layers-'));
  const config = `import layers from ${JSON.stringify(plugin)};
const order = { common: [], config: [], transport: ['config'], cli: ['config', 'transport'] };
export default [{ files: ['**/*.mjs'], plugins: { layers }, rules: {
  'layers/direction': ['error', { root: import.meta.dirname, layers: order }],
  'layers/no-cycle': ['error', { root: import.meta.dirname }],
} }];
`;
  writeFileSync(join(dir, 'eslint.config.mjs'), config);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

interface JsonResult {
  filePath: string;
  messages: { line: number; ruleId: string | null; message: string }[];
}

/** ESLint's findings as `src/file.mjs:line rule message` lines. */
function lint(dir: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [eslintBin, '--format', 'json', 'src'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) return { status: r.status, out: r.stdout + r.stderr };
  const results = JSON.parse(r.stdout) as JsonResult[];
  const lines = results.flatMap((f) =>
    f.messages.map((m) => `${f.filePath.slice(dir.length + 1)}:${m.line} ${m.ruleId ?? '-'} ${m.message}`),
  );
  return { status: r.status, out: lines.join('\n') };
}

test('an import against the layer direction is reported, one along it is not', (t) => {
  const dir = project({
    'src/common/errors.mjs': 'export const e = 1;\n',
    'src/config/argv.mjs': "import { e } from '../common/errors.mjs';\nexport const a = e;\n",
    'src/transport/link.mjs': "import { a } from '../config/argv.mjs';\nexport const l = a;\n",
    'src/config/bad.mjs': "export { l } from '../transport/link.mjs';\n",
    'src/cli/main.mjs': "import { l } from '../transport/link.mjs';\nconst m = await import('../config/argv.mjs');\nexport const x = [l, m];\n",
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = lint(dir);
  assert.equal(r.status, 1, r.out);
  const problems = r.out.split('\n').filter((l) => l.includes('layers/'));
  assert.equal(problems.length, 1, r.out);
  assert.match(problems[0] ?? '', /src\/config\/bad\.mjs:1 layers\/direction layer config\/ must not import transport\//);
});

test('an import cycle is reported on each file in it, with the path', (t) => {
  const dir = project({
    'src/cli/a.mjs': "import { b } from './b.mjs';\nexport const a = () => b;\n",
    'src/cli/b.mjs': "import { c } from './c.mjs';\nexport const b = () => c;\n",
    'src/cli/c.mjs': "import { a } from './a.mjs';\nexport const c = () => a;\n",
    'src/cli/d.mjs': "import { a } from './a.mjs';\nexport const d = a;\n",
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = lint(dir);
  assert.equal(r.status, 1, r.out);
  const problems = r.out.split('\n').filter((l) => l.includes('layers/no-cycle'));
  assert.equal(problems.length, 3, r.out);
  assert.match(r.out, /src\/cli\/a\.mjs:1 layers\/no-cycle import cycle: src\/cli\/a\.mjs → src\/cli\/b\.mjs → src\/cli\/c\.mjs → src\/cli\/a\.mjs/);
  assert.doesNotMatch(r.out, /d\.mjs/);
});

test('a clean project passes', (t) => {
  const dir = project({
    'src/common/errors.mjs': 'export const e = 1;\n',
    'src/cli/main.mjs': "import { e } from '../common/errors.mjs';\nexport const m = e;\n",
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = lint(dir);
  assert.equal(r.status, 0, r.out);
});
