import { buildSync, type BuildOptions } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUNDLE_CACHE_DIR, buildCacheKey, cachedBundle } from './bundle-cache';
import { takePrebuilt } from './prebundle';

/**
 * Bundles a program that runs on our EC2 hosts (e.g. hosts/failover-agent/main.ts) and the AWS SDK it
 * uses into one CommonJS file for the hosts' Node.js (AL2023's nodejs22): the hosts need no npm.
 */
export function bundleHostProgram(entry: string, outfile: string): void {
  const options = hostProgramBuildOptions(entry, outfile);
  // The cache keeps whole output directories: only one that holds nothing else (CDK's bundling dir) is cached.
  const dir = path.dirname(outfile);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    buildSync(options);
    return;
  }
  const key = buildCacheKey(options, dir);
  cachedBundle(BUNDLE_CACHE_DIR, key, dir, () => takePrebuilt(key, dir) ?? buildSync(options).metafile!);
}

/** How a host program is bundled: one file at `outfile`. */
export function hostProgramBuildOptions(entry: string, outfile: string): BuildOptions {
  return {
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
}

/** The failover agent's entry point, relative to the repository root. */
export const FAILOVER_AGENT_ENTRY = 'hosts/failover-agent/main.ts';
