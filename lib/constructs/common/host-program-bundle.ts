import { buildSync } from 'esbuild';

/**
 * Bundles a program that runs on our EC2 hosts (e.g. hosts/failover-agent/main.ts) and the AWS SDK it
 * uses into one CommonJS file for the hosts' Node.js (AL2023's nodejs22): the hosts need no npm.
 */
export function bundleHostProgram(entry: string, outfile: string): void {
  buildSync({
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
  });
}

/** The failover agent's entry point, relative to the repository root. */
export const FAILOVER_AGENT_ENTRY = 'hosts/failover-agent/main.ts';
