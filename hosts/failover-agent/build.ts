import { buildSync } from 'esbuild';
import * as path from 'node:path';

/** Bundles the agent (and the AWS SDK it uses) into one file for Node 22 (AL2023's nodejs22). */
export function buildFailoverAgent(outfile: string): void {
  buildSync({
    entryPoints: [path.join(__dirname, 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: 'inline',
    legalComments: 'none',
    logLevel: 'warning',
  });
}
