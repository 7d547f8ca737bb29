// `npm run build`, second step: bundles dist's composition root into one CommonJS file, dist/tether.cjs, that
// bin/tether loads. One file and no ESM loader make start-up cheaper; npm packages stay external (loaded when used).
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const OUT = join(ROOT, 'dist', 'tether.cjs');

/**
 * CommonJS has no import.meta: each module's `import.meta.url` becomes the URL of its own compiled file in dist/
 * (which tsc writes beside the bundle), so paths relative to it (package.json, bin/tether) resolve as before.
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

await build({
  entryPoints: [join(SRC, 'cli', 'main.ts')],
  outfile: OUT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  plugins: [importMetaUrl],
  banner: {
    js: "const __tetherFileUrl = (p) => require('node:url').pathToFileURL(require('node:path').join(__dirname, p)).href;",
  },
  logLevel: 'warning',
});
