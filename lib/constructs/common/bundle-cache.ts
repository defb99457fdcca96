import { version as esbuildVersion, type BuildOptions, type Metafile } from 'esbuild';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Set to "off" to bundle everything afresh (what a clean checkout does). */
export const BUNDLE_CACHE_ENV = 'MONSAAS_BUNDLE_CACHE';

/** The repository root: handler and host-program entries are named relative to it. */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
/** Where bundles of unchanged code are kept between synths. */
export const BUNDLE_CACHE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'monsaas-bundles');

interface Manifest {
  /** Absolute path -> sha256 of every file the build read. */
  readonly inputs: Record<string, string>;
}

const sha256 = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/** The name a bundle key goes by: its cache entry's directory, and its prebuilt bundle's id. */
export const keyDigest = (key: unknown): string => sha256(JSON.stringify(key));

let lockHashes: string[] | undefined;

/**
 * What a cached bundle must share with a new build besides its input files: esbuild's version, the
 * options (output paths excepted), the installed dependency tree (lock files), and where the output sits
 * relative to the working directory (source maps name their sources relative to the output).
 */
export function buildCacheKey(options: BuildOptions, outdir: string): unknown {
  lockHashes ??= ['package-lock.json', 'node_modules/.package-lock.json'].map((f) => {
    const file = path.join(REPO_ROOT, f);
    return fs.existsSync(file) ? sha256(fs.readFileSync(file)) : 'none';
  });
  const { outdir: _outdir, outfile, ...rest } = options;
  return { esbuildVersion, options: rest, outfile: outfile && path.basename(outfile), outdirToCwd: path.relative(outdir, process.cwd()), lockHashes };
}

function unchanged(inputs: Record<string, string>): boolean {
  for (const [file, hash] of Object.entries(inputs)) {
    let content: Buffer;
    try {
      content = fs.readFileSync(file);
    } catch {
      return false;
    }
    if (sha256(content) !== hash) return false;
  }
  return true;
}

/** Entries synth's bundle plan found valid when it started: checking one hashes every file it read. */
const verifiedAtStart = new Set<string>();

/**
 * A valid cache entry exists for `key` (and the cache is on): cachedBundle would copy, not build.
 * `remember`: the synth's plan checks every bundle once at start, and the in-place check trusts that.
 */
export function isCached(cacheRoot: string, key: unknown, remember = false): boolean {
  if (process.env[BUNDLE_CACHE_ENV] === 'off') return false;
  const entry = path.join(cacheRoot, keyDigest(key));
  if (verifiedAtStart.has(entry)) return true;
  const manifestFile = path.join(entry, 'manifest.json');
  const valid = fs.existsSync(manifestFile) && unchanged((JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest).inputs);
  if (valid && remember) verifiedAtStart.add(entry);
  return valid;
}

/**
 * Content-addressed cache of bundle outputs: bundling the handlers was a quarter of every synth, and
 * most synths bundle unchanged code. A hit needs the same key (esbuild version, options, lock files:
 * the caller's) and every file the cached build read unchanged, byte for byte; anything else builds
 * again. So a hit gives exactly the files a build would, and the asset hash does not move.
 * Entries are published by rename, so concurrent synths (test workers) never see half an entry.
 */
export function cachedBundle(cacheRoot: string, key: unknown, outdir: string, build: (dir: string) => Metafile): void {
  if (process.env[BUNDLE_CACHE_ENV] === 'off') {
    build(outdir);
    return;
  }
  const entry = path.join(cacheRoot, keyDigest(key));
  if (isCached(cacheRoot, key)) {
    fs.cpSync(path.join(entry, 'out'), outdir, { recursive: true });
    return;
  }
  // Built where the caller wants it: source maps name their sources relative to the output directory,
  // so the caller's key must carry that relation (bundleKey does).
  const metafile = build(outdir);
  const inputs: Record<string, string> = {};
  for (const [input, { bytes }] of Object.entries(metafile.inputs)) {
    const file = path.resolve(input); // esbuild names inputs relative to its working directory (ours)
    const content = fs.readFileSync(file);
    if (content.length !== bytes) return; // edited while bundling: do not cache what may not match
    inputs[file] = sha256(content);
  }
  fs.mkdirSync(cacheRoot, { recursive: true });
  const staging = fs.mkdtempSync(path.join(cacheRoot, 'staging-'));
  try {
    fs.cpSync(outdir, path.join(staging, 'out'), { recursive: true });
    fs.writeFileSync(path.join(staging, 'manifest.json'), JSON.stringify({ inputs } satisfies Manifest));
    fs.rmSync(entry, { recursive: true, force: true }); // a stale entry for this key
    try {
      fs.renameSync(staging, entry);
    } catch {
      // Another process published this entry first: theirs is as good.
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
