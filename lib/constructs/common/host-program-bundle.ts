import { buildSync, type BuildOptions } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUNDLE_CACHE_DIR, buildCacheKey, cachedBundle } from './bundle-cache';

/**
 * Bundles a program that runs on our EC2 hosts (e.g. hosts/failover-agent/main.ts) and the AWS SDK it
 * uses into one CommonJS file for the hosts' Node.js (AL2023's nodejs22): the hosts need no npm.
 */
export function bundleHostProgram(entry: string, outfile: string): void {
  const options: BuildOptions = {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: 'inline',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  };
  // The cache keeps whole output directories: only one that holds nothing else (CDK's bundling dir) is cached.
  const dir = path.dirname(outfile);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) buildSync(options);
  else cachedBundle(BUNDLE_CACHE_DIR, buildCacheKey(options, dir), dir, () => buildSync(options).metafile!);
}

/** The failover agent's entry point, relative to the repository root. */
export const FAILOVER_AGENT_ENTRY = 'hosts/failover-agent/main.ts';
