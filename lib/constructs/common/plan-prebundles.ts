import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUNDLE_CACHE_DIR, buildCacheKey, isCached, REPO_ROOT } from './bundle-cache';
import { HOST_PROGRAMS, LAMBDA_HANDLER_ENTRIES } from './bundled-programs';
import { bundleKey, handlerBuildOptions } from './handler-build';
import { hostProgramBuildOptions } from './host-program-bundle';
import { startPrebundling, type PrebundleJob } from './prebundle';

/**
 * The bundles of every registered program that the bundle cache cannot answer, each built into a
 * directory directly under `assetOutdir`, where CDK puts its bundling directories (so the output, source
 * maps included, and the cache key are exactly what bundling there would give).
 */
export function prebundleJobs(assetOutdir: string): PrebundleJob[] {
  const handlers: PrebundleJob[] = [];
  const hosts: PrebundleJob[] = [];
  const dirFor = (i: number) => path.join(assetOutdir, `prebundle-${process.pid}-${i}`);
  LAMBDA_HANDLER_ENTRIES.forEach((relative, i) => {
    const entry = path.join(REPO_ROOT, relative);
    const dir = dirFor(i);
    const key = bundleKey(entry, dir);
    if (!isCached(BUNDLE_CACHE_DIR, key, true)) handlers.push({ key, options: handlerBuildOptions(entry, dir), dir });
  });
  HOST_PROGRAMS.forEach(({ entry, file }, i) => {
    const dir = dirFor(LAMBDA_HANDLER_ENTRIES.length + i);
    const options = hostProgramBuildOptions(path.join(REPO_ROOT, entry), path.join(dir, file));
    const key = buildCacheKey(options, dir);
    if (!isCached(BUNDLE_CACHE_DIR, key, true)) hosts.push({ key, options, dir });
  });
  // Host programs first: the Redis stack, built early, needs the failover agent.
  return [...hosts, ...handlers];
}

/** Starts bundling every registered program ahead, for a synth into `assetOutdir`; leftovers go at exit. */
export function prebundleFor(assetOutdir: string): void {
  const jobs = prebundleJobs(assetOutdir);
  process.once('exit', () => { for (const job of jobs) fs.rmSync(job.dir, { recursive: true, force: true }); });
  startPrebundling(jobs);
}
