import { z } from 'zod';
import { count } from '../primitives';

export const tsdbSchema = z.object({
  stream: z.object({
    /** Kinesis retention: at least 24 h (the replay window after a Redis loss); 7 days (168) in production. */
    retentionHours: z.number().int().min(24, 'must be at least 24 hours').max(8760),
    mode: z.enum(['PROVISIONED', 'ON_DEMAND']),
    /** Shards when PROVISIONED. */
    shardCount: count('shards'),
  }),
  writer: z.object({
    batchSize: z.number().int().min(1).max(10000),
    maxBatchingWindowS: z.number().int().min(0).max(300),
    parallelizationFactor: z.number().int().min(1).max(10),
    retryAttempts: z.number().int().min(0).max(10000),
    memoryMiB: z.number().int().min(128).max(10240),
  }),
  /** Timestamps are aligned down to this step, which makes writes idempotent. */
  stepSeconds: z.number().int().min(1),
  /** A series moves from Redis to DynamoDB once it holds this many points. */
  flushPoints: z.number().int().min(2),
  /** A series with no point for this long is moved by the periodic flusher. */
  idleFlushMinutes: z.number().int().min(1),
  /** Rollup tiers, e.g. "1m:1d": step:retention. */
  tiers: z.array(z.string().regex(/^\d+[smhd]:\d+[dwy]$/, 'must be "<step>:<retention>", e.g. "1m:1d"')).min(1),
  table: z.object({ billing: z.enum(['PAY_PER_REQUEST', 'PROVISIONED']) }),
  archive: z.object({
    /** Archive objects move to infrequent access after this many days. */
    infrequentAccessAfterDays: z.number().int().min(30),
    glacierAfterDays: z.number().int().min(1),
    /** Non-current object versions are kept this long. */
    noncurrentVersionDays: z.number().int().min(1),
  }),
});
export type TsdbConfig = z.infer<typeof tsdbSchema>;
