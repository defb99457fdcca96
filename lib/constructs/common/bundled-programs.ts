import { FAILOVER_AGENT_ENTRY } from './host-program-bundle';

/**
 * Every program synth bundles, relative to the repository root, so `cdk synth` can bundle them all at
 * once, in parallel with building the constructs (prebundle.ts). A program missing here is still
 * bundled, only later and alone; test/lib/constructs/common/bundled-programs.test.ts keeps the lists
 * equal to what the app bundles.
 */
export const LAMBDA_HANDLER_ENTRIES = [
  'lambda/tsdb/writer.ts',
  'lambda/tsdb/flusher.ts',
  'lambda/tsdb/exporter.ts',
  'lambda/tsdb/reader.ts',
  'lambda/services/image-gate.ts',
  'lambda/batch/usage/handler.ts',
  'lambda/batch/notifications/handler.ts',
  'lambda/batch/retention/handler.ts',
  'lambda/batch/log-metrics/handler.ts',
] as const;

/** Programs for the EC2 hosts: entry, and the file name their asset holds. */
export const HOST_PROGRAMS = [{ entry: FAILOVER_AGENT_ENTRY, file: 'failover-agent.js' }] as const;
