import { buildSync, type BuildOptions, type Metafile } from 'esbuild';
import * as path from 'node:path';
import { buildCacheKey } from './bundle-cache';

/** The file Lambda loads; chunks loaded on demand sit beside it. */
export const HANDLER_FILE = 'index.mjs';
/** The functions' handler setting: the `handler` export of HANDLER_FILE. */
export const HANDLER = 'index.handler';

/** What every Lambda handler is bundled with; the bench and the tests build through the same function. */
export function handlerBuildOptions(entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: { index: entry },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node24',
    // ES modules with code splitting: what a handler imports only on a rare path (the S3 client for
    // archive reads, SNS for rejected records, Secrets Manager at connect) is a separate chunk that
    // is neither parsed nor run at cold start.
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // Prefer packages' ES module builds: esbuild can tree-shake those (it cannot tree-shake CommonJS),
    // which drops about a quarter of the AWS SDK v3 code from each bundle.
    mainFields: ['module', 'main'],
    // CommonJS dependencies (ioredis) call require() for Node's built-ins; give ES modules one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    minify: true,
    sourcemap: true,
    // Mapping a stack (npm run map-stack) needs positions only; embedding every source would triple each asset.
    sourcesContent: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  };
}

/** Bundles one handler into outdir and returns esbuild's metafile (what went into which file). */
export function bundleHandler(entry: string, outdir: string): Metafile {
  return buildSync(handlerBuildOptions(entry, outdir)).metafile!;
}

/** The output files Lambda loads before the handler's code runs: index.mjs and its static imports. */
export function startupFiles(outputs: Metafile['outputs']): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of outputs[file]!.imports) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  const index = Object.keys(outputs).find((f) => f.endsWith(`/${HANDLER_FILE}`) || f === HANDLER_FILE);
  if (!index) throw new Error(`no ${HANDLER_FILE} among the bundle's outputs`);
  visit(index);
  return seen;
}

/** The bundle cache's key for a handler built into outdir (see buildCacheKey). */
export function bundleKey(entry: string, outdir: string): unknown {
  return buildCacheKey(handlerBuildOptions(path.resolve(entry), outdir), outdir);
}
