// `npm run build`, second step: bundles the composition root into CommonJS files that bin/tether loads. Fewer files
// and no ESM loader make start-up cheaper; npm packages stay external (required when a run uses them).
//   dist/tether.cjs         main.ts and the argv parser: all `--version`, `--help` and a usage error need
//   dist/tether-run.cjs     every kind of run (connect.ts, subcommands.ts, fallback.ts), loaded once main chose one
//   dist/tether-common.cjs  common/errors.ts, shared by both, so `instanceof TetherError` holds across them
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');

/** Sources that live in another output file, and that file (relative to dist/). */
const COMMON = new Map([[join(SRC, 'common', 'errors.ts'), './tether-common.cjs']]);
const RUN = new Map(['connect', 'subcommands', 'fallback'].map((m) => [join(SRC, 'cli', `${m}.ts`), './tether-run.cjs']));

/** Imports of the given sources become require()s of their output file. */
function external(moved) {
  return {
    name: 'external-parts',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
        const target = moved.get(resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts'));
        return target === undefined ? undefined : { path: target, external: true };
      });
    },
  };
}

/**
 * CommonJS has no import.meta: each module's `import.meta.url` becomes the URL of its own compiled file in dist/
 * (which tsc writes beside the bundles), so paths relative to it (package.json, bin/tether) resolve as before.
 */
const importMetaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const own = relative(SRC, args.path).replace(/\.ts$/, '.js').split('\\').join('/');
      return { contents: text.replace(/\bimport\.meta\.url\b/g, `__tetherFileUrl(${JSON.stringify(own)})`), loader: 'ts' };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  banner: { js: "const __tetherFileUrl = (p) => require('node:url').pathToFileURL(require('node:path').join(__dirname, p)).href;" },
  logLevel: 'warning',
};

await build({ ...common, entryPoints: [...COMMON.keys()], outfile: join(DIST, 'tether-common.cjs'), plugins: [importMetaUrl] });
await build({
  ...common,
  stdin: {
    // each run's module is initialised only when main calls it (a subcommand must not load for `host true`)
    contents: [
      "export const runConnect: typeof import('./connect.js').runConnect = async (...a) => (await import('./connect.js')).runConnect(...a);",
      "export const runSubcommand: typeof import('./subcommands.js').runSubcommand = async (...a) => (await import('./subcommands.js')).runSubcommand(...a);",
      "export const runSystemSsh: typeof import('./fallback.js').runSystemSsh = async (...a) => (await import('./fallback.js')).runSystemSsh(...a);",
    ].join('\n'),
    resolveDir: join(SRC, 'cli'),
    sourcefile: 'run-entry.ts',
    loader: 'ts',
  },
  outfile: join(DIST, 'tether-run.cjs'),
  plugins: [external(COMMON), importMetaUrl],
});
await build({
  ...common,
  entryPoints: [join(SRC, 'cli', 'main.ts')],
  outfile: join(DIST, 'tether.cjs'),
  plugins: [external(new Map([...COMMON, ...RUN])), importMetaUrl],
  // main's import() of a run becomes require(): a native import() would start the ESM loader for a CommonJS file
  supported: { 'dynamic-import': false },
});
