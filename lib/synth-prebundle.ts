import { prebundleFor } from './constructs/common/plan-prebundles';

/**
 * Imported first by bin/app.ts: under `cdk synth` (which names the output directory in CDK_OUTDIR)
 * every registered program starts bundling in a worker before the rest of the app even loads. The
 * bundles are the ones synth would build in place (lib/constructs/common/prebundle.ts); a test or a
 * script that builds the app itself bundles in place, as it needs.
 */
if (process.env.CDK_OUTDIR) prebundleFor(process.env.CDK_OUTDIR);
