import { AssetHashType, type ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as path from 'node:path';
import { BUNDLE_CACHE_DIR, cachedBundle } from './bundle-cache';
import { bundleHandler, bundleKey } from './handler-build';
import { takePrebuilt } from './prebundle';

/**
 * Bundles a handler with esbuild's API inside the synth process. NodejsFunction's own local bundling
 * runs a workspace esbuild through `npx --no-install`, and npm's start-up (0.6 s here) per handler
 * was half of the whole synth. Same esbuild, one process.
 */
export class InProcessEsbuild implements ILocalBundling {
  constructor(readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    const key = bundleKey(this.entry, outputDir);
    cachedBundle(BUNDLE_CACHE_DIR, key, outputDir, (dir) => takePrebuilt(key, dir) ?? bundleHandler(this.entry, dir));
    return true;
  }
}

/**
 * The handler's deployment package (index.mjs, its chunks and source maps), hashed by output so the
 * asset, and the function, change only when the bundle does.
 */
export function handlerCode(entry: string, runtime: lambda.Runtime): lambda.Code {
  return lambda.Code.fromAsset(path.dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Only used if local bundling declined, which it never does: it succeeds or throws.
      image: runtime.bundlingImage,
      local: new InProcessEsbuild(entry),
    },
  });
}
