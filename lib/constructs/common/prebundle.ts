import type { BuildOptions, Metafile } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { keyDigest } from './bundle-cache';

/** One bundle to build ahead: its cache key (bundle-cache.ts), and esbuild's options with their output in `dir`. */
export interface PrebundleJob {
  readonly key: unknown;
  readonly options: BuildOptions;
  readonly dir: string;
}

/**
 * Builds at once: two keep both cores of a CI runner busy beside the synth's own thread and finish the
 * first bundles early (the Redis stack needs the failover agent first); all at once would finish every
 * bundle only at the end.
 */
const CONCURRENT_BUILDS = 2;
const PENDING = 0;
const BUILT = 1;
/** A bundle is waited for at most this long (a worker that died never answers): then built in place. */
const WAIT_LIMIT_MS = 300_000;

/**
 * The worker: the jobs in order, CONCURRENT_BUILDS at a time, through esbuild's async API; each job's
 * flag is set when its files and metafile are written (or its build failed). Plain CommonJS, so the
 * worker needs no loader.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const flags = new Int32Array(workerData.flags);
const settle = (i, state) => { Atomics.store(flags, i, state); Atomics.notify(flags, i); };
let esbuild;
try {
  esbuild = require(workerData.esbuild);
} catch {
  // No esbuild here: every job fails, and the synth builds each in place (reporting the real error).
  workerData.jobs.forEach((_, i) => settle(i, 2));
}
let next = 0;
async function run() {
  for (let i = next++; i < workerData.jobs.length; i = next++) await one(workerData.jobs[i], i);
}
async function one({ options, metafile }, i) {
  let state = 2;
  try {
    const result = await esbuild.build(options);
    fs.writeFileSync(metafile, JSON.stringify(result.metafile));
    state = 1;
  } catch {
    // The synth builds this one itself and reports esbuild's error there.
  }
  settle(i, state);
}
if (esbuild) Promise.all(Array.from({ length: workerData.concurrency }, run)).finally(() => esbuild.stop());
`;
interface Plan {
  readonly flags: Int32Array;
  readonly jobs: Map<string, { readonly index: number; readonly job: PrebundleJob; readonly metafile: string }>;
}

let plan: Plan | undefined;

/**
 * Starts building `jobs` in a worker thread and returns at once: synth goes on building constructs
 * on this thread while esbuild bundles on the other cores. Bundling every handler one after another
 * was a third of a clean checkout's synth. The bundles are byte for byte what the synth would build
 * (same options; `dir` sits where CDK's bundling directory sits, so source maps name the same paths).
 */
export function startPrebundling(jobs: readonly PrebundleJob[]): void {
  if (jobs.length === 0) return;
  const flags = new Int32Array(new SharedArrayBuffer(4 * jobs.length));
  const entries = jobs.map((job, index) => [keyDigest(job.key), { index, job, metafile: path.join(job.dir, '.metafile.json') }] as const);
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { concurrency: CONCURRENT_BUILDS, esbuild: require.resolve('esbuild'), flags: flags.buffer, jobs: entries.map(([, e]) => ({ options: e.job.options, metafile: e.metafile })) },
    });
  } catch {
    return; // no worker: every bundle is built in place, as without prebundling
  }
  plan = { flags, jobs: new Map(entries) };
  worker.unref(); // the synth never waits for a bundle it does not take
}

/**
 * The bundle built ahead for `key`, moved into `into` (once), with its metafile; waits while it is
 * still being built. Undefined when nothing was built ahead for it or the build failed: the caller builds.
 */
export function takePrebuilt(key: unknown, into: string): Metafile | undefined {
  const digest = keyDigest(key);
  const entry = plan?.jobs.get(digest);
  if (!plan || !entry) return undefined;
  plan.jobs.delete(digest);
  Atomics.wait(plan.flags, entry.index, PENDING, WAIT_LIMIT_MS);
  const { dir } = entry.job;
  try {
    if (Atomics.load(plan.flags, entry.index) !== BUILT) return undefined;
    const metafile = JSON.parse(fs.readFileSync(entry.metafile, 'utf8')) as Metafile;
    fs.rmSync(entry.metafile);
    fs.mkdirSync(into, { recursive: true });
    for (const name of fs.readdirSync(dir)) fs.renameSync(path.join(dir, name), path.join(into, name));
    return metafile;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
