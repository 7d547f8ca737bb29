// A local ESLint plugin with the two structural rules of ARCHITECTURE.md:
//   layers/direction  an import from src/<a>/ into src/<b>/ only where <a> may depend on <b>
//   layers/no-cycle   no chain of relative imports that leads back to the importing file
// Local (no resolver package) because the registry CI installs from does not carry the
// platform binaries of the native resolver that eslint-plugin-import-x needs, so `npm ci` failed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const CANDIDATE_SUFFIXES = ['', '.ts', '.tsx', '.mts', '.d.ts', '/index.ts', '/index.js'];

/** The file a relative specifier names (a `.js` specifier maps to its `.ts` source), or undefined. */
export function resolveRelative(fromFile, spec) {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return undefined;
  const base = resolve(dirname(fromFile), spec);
  const stems = [base];
  const m = /\.(m?js|jsx)$/.exec(base);
  if (m) stems.unshift(base.slice(0, -m[0].length));
  for (const stem of stems) {
    for (const suffix of CANDIDATE_SUFFIXES) {
      const p = stem + suffix;
      if (existsSync(p) && statSync(p).isFile()) return p;
    }
  }
  return undefined;
}

/** `src/<layer>/...` → layer, or undefined for files outside src/. */
export function layerOf(root, file) {
  const rel = relative(join(root, 'src'), file);
  if (rel.startsWith('..') || rel === '') return undefined;
  const first = rel.split(sep)[0];
  return first === undefined || first.includes('.') ? undefined : first;
}

function sourcesOf(node) {
  switch (node.type) {
    case 'ImportDeclaration':
    case 'ExportAllDeclaration':
    case 'ExportNamedDeclaration':
    case 'ImportExpression':
      return node.source && node.source.type === 'Literal' && typeof node.source.value === 'string' ? [node.source] : [];
    case 'TSImportEqualsDeclaration':
      return node.moduleReference.type === 'TSExternalModuleReference' ? [node.moduleReference.expression] : [];
    default:
      return [];
  }
}

function onEveryImport(visit) {
  const handler = (node) => {
    for (const source of sourcesOf(node)) visit(node, source);
  };
  return {
    ImportDeclaration: handler,
    ExportAllDeclaration: handler,
    ExportNamedDeclaration: handler,
    ImportExpression: handler,
    TSImportEqualsDeclaration: handler,
  };
}

const direction = {
  meta: {
    type: 'problem',
    docs: { description: 'imports follow the layer direction of ARCHITECTURE.md' },
    schema: [{ type: 'object', properties: { root: { type: 'string' }, layers: { type: 'object' } }, required: ['root', 'layers'] }],
    messages: {
      wrongWay: 'layer {{from}}/ must not import {{to}}/ (see ARCHITECTURE.md)',
      unknownLayer: 'src/{{layer}}/ is not a layer of ARCHITECTURE.md',
    },
  },
  create(context) {
    const { root, layers } = context.options[0];
    const file = context.filename;
    const from = layerOf(root, file);
    if (from === undefined) return {};
    if (!(from in layers)) {
      return { Program: (node) => context.report({ node, messageId: 'unknownLayer', data: { layer: from } }) };
    }
    return onEveryImport((node, source) => {
      const target = resolveRelative(file, source.value);
      if (target === undefined) return;
      const to = layerOf(root, target);
      if (to === undefined || to === from || to === 'common') return;
      if (!layers[from].includes(to)) context.report({ node: source, messageId: 'wrongWay', data: { from, to } });
    });
  },
};

// The relative imports of each file, read once per lint run.
const edges = new Map();
function importsOf(file) {
  let out = edges.get(file);
  if (out) return out;
  out = [];
  edges.set(file, out);
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
    const target = resolveRelative(file, ref.fileName);
    if (target !== undefined && !out.includes(target)) out.push(target);
  }
  return out;
}

/** A path start → … → goal through relative imports, or undefined. */
export function findPath(start, goal) {
  const seen = new Set();
  const stack = [[start, [start]]];
  while (stack.length > 0) {
    const [file, path] = stack.pop();
    if (file === goal) return path;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const next of importsOf(file)) stack.push([next, [...path, next]]);
  }
  return undefined;
}

const noCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'no import cycles' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, required: ['root'] }],
    messages: { cycle: 'import cycle: {{path}}' },
  },
  create(context) {
    const { root } = context.options[0];
    const file = context.filename;
    // The file's own text as ESLint sees it (it may differ from the disk in an editor).
    edges.delete(file);
    return onEveryImport((node, source) => {
      const target = resolveRelative(file, source.value);
      if (target === undefined) return;
      const path = findPath(target, file);
      if (path === undefined) return;
      const shown = [file, ...path].map((p) => relative(root, p)).join(' → ');
      context.report({ node: source, messageId: 'cycle', data: { path: shown } });
    });
  },
};

export default { meta: { name: 'tether-layers' }, rules: { direction, 'no-cycle': noCycle } };
