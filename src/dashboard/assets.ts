// The files the page is made of: its own (web/ in the package) and two libraries from node_modules. Nothing else is served.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One servable file. */
export interface Asset {
  file: string;
  type: string;
}

const JS = 'text/javascript; charset=utf-8';

/** The package root: this file is src/dashboard/ (tsx) or dist/dashboard/ (built). */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A package's dist directory, found through its main entry (their exports do not list the browser builds). */
function distOf(pkg: string): string {
  return dirname(createRequire(import.meta.url).resolve(pkg));
}

/** URL path → file. The page's own files, Chart.js's UMD build and reconnecting-websocket's IIFE build. */
export function assetTable(): ReadonlyMap<string, Asset> {
  const web = join(ROOT, 'web');
  return new Map<string, Asset>([
    ['/', { file: join(web, 'index.html'), type: 'text/html; charset=utf-8' }],
    ['/style.css', { file: join(web, 'style.css'), type: 'text/css; charset=utf-8' }],
    ['/app.js', { file: join(web, 'app.js'), type: JS }],
    ['/live.js', { file: join(web, 'live.js'), type: JS }],
    ['/history.js', { file: join(web, 'history.js'), type: JS }],
    ['/charts.js', { file: join(web, 'charts.js'), type: JS }],
    ['/vendor/chart.umd.min.js', { file: join(distOf('chart.js'), 'chart.umd.min.js'), type: JS }],
    ['/vendor/reconnecting-websocket.min.js', { file: join(distOf('reconnecting-websocket'), 'reconnecting-websocket-iife.min.js'), type: JS }],
  ]);
}

/** Reads assets once and keeps them (the page's files do not change while the dashboard runs). */
export class AssetCache {
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(private readonly table: ReadonlyMap<string, Asset> = assetTable()) {}

  /** The asset at a URL path, or undefined if there is none. */
  async get(path: string): Promise<{ body: Buffer; type: string } | undefined> {
    const a = this.table.get(path);
    if (!a) return undefined;
    let p = this.cache.get(path);
    if (!p) {
      p = readFile(a.file);
      this.cache.set(path, p);
      p.catch(() => this.cache.delete(path));
    }
    return { body: await p, type: a.type };
  }
}
