import { z } from 'zod';
import { count } from '../primitives';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 } as const;

/** "5m" -> 300. Assumes the tier regex below already matched. */
export function durationSeconds(text: string): number {
  const unit = text.slice(-1) as keyof typeof UNIT_SECONDS;
  return Number(text.slice(0, -1)) * UNIT_SECONDS[unit];
}

const TIER_PATTERN = /^\d+[smhd]:\d+[dwy]$/;

/** Kinesis retention: at least 24 h (the replay window after a Redis loss); 7 days (168) in production. */
const streamRetentionHours = z.number().int().min(24, 'must be at least 24 hours').max(8760);

/** Provisioned capacity units, scaled between min and max to keep consumption near the target. */
const tableCapacity = z.strictObject({
  min: z.number().int().min(1, 'must be at least 1 capacity unit'),
  max: z.number().int().min(1).max(40000, 'must be at most 40000, the default per-table quota'),
  targetUtilizationPercent: z.number().int().min(20).max(90, 'must be between 20 and 90 (DynamoDB autoscaling bounds)'),
}).refine((c) => c.max >= c.min, { message: 'max must be at least min', path: ['max'] });

export const tsdbSchema = z
  .strictObject({
    /** The Kinesis write-ahead log: on demand, or PROVISIONED with a shard count (no shard count on demand: it would do nothing). */
    stream: z.discriminatedUnion('mode', [
      z.strictObject({ retentionHours: streamRetentionHours, mode: z.literal('ON_DEMAND') }),
      z.strictObject({ retentionHours: streamRetentionHours, mode: z.literal('PROVISIONED'), shardCount: count('shards').max(100_000, 'must be at most 100000 (CloudFormation\'s limit per stream; the account\'s shard quota, checked by preflight, is usually far lower)') }),
    ], { message: 'mode must be "ON_DEMAND" or "PROVISIONED" (with shardCount)' }),
    writer: z.strictObject({
      batchSize: z.number().int().min(1).max(10000),
      maxBatchingWindowS: z.number().int().min(0).max(300),
      parallelizationFactor: z.number().int().min(1).max(10),
      retryAttempts: z.number().int().min(0).max(10000),
      memoryMiB: z.number().int().min(128).max(10240),
      /** How long a shard write waits for its standby to confirm before the records count as failed. */
      replicaTimeoutMs: z.number().int().min(10, 'must be at least 10 ms').max(5000, 'must be at most 5000 ms so a batch cannot stall the shard'),
    }),
    /** Timestamps are aligned down to this step, which makes writes idempotent. */
    stepSeconds: z.number().int().min(1),
    /**
     * A series moves from Redis to DynamoDB once it holds this many points; it is also the number of
     * steps per window (one Redis hash / one DynamoDB item), which bounds the item far below 400 KB.
     */
    flushPoints: z.number().int().min(2).max(5000, 'must be at most 5000 so a window stays far below the 400 KB DynamoDB item limit'),
    /** A series with no point for this long is moved by the periodic flusher. */
    idleFlushMinutes: z.number().int().min(1),
    /** How often the flusher runs (EventBridge schedule). */
    flushScheduleMinutes: z.number().int().min(1).max(60),
    /** Rollup tiers, finest first, e.g. "1m:1d": step:retention in DynamoDB (older windows live in S3). */
    tiers: z.array(z.string().regex(TIER_PATTERN, 'must be "<step>:<retention>", e.g. "1m:1d"')).min(1),
    /** The series table: on demand, or provisioned with autoscaled capacity (DynamoDB allows one switch a day). */
    table: z.discriminatedUnion('billing', [
      z.strictObject({ billing: z.literal('PAY_PER_REQUEST') }),
      z.strictObject({ billing: z.literal('PROVISIONED'), readCapacity: tableCapacity, writeCapacity: tableCapacity }),
    ], { message: 'billing must be "PAY_PER_REQUEST" or "PROVISIONED" (with readCapacity and writeCapacity)' }),
    archive: z.strictObject({
      /** Archive objects move to infrequent access after this many days. */
      infrequentAccessAfterDays: z.number().int().min(30),
      glacierAfterDays: z.number().int().min(1),
      /** Non-current object versions are kept this long. */
      noncurrentVersionDays: z.number().int().min(1),
    }),
  })
  .superRefine((cfg, ctx) => {
    const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    // Malformed tiers are already reported by the regex above; the order rules need parseable ones.
    if (!cfg.tiers.every((tier) => TIER_PATTERN.test(tier))) return;
    const parsed = cfg.tiers.map((tier) => tier.split(':').map(durationSeconds) as [number, number]);
    if (parsed[0] && parsed[0][0] !== cfg.stepSeconds) {
      fail(['tiers', 0], `"${cfg.tiers[0]}" must have the raw step stepSeconds (${cfg.stepSeconds}s) as its step; start the list with the raw tier`);
    }
    parsed.forEach(([step, retention], i) => {
      if (retention < step) fail(['tiers', i], `"${cfg.tiers[i]}" keeps less than one step; make the retention longer than the step`);
      const previous = parsed[i - 1];
      if (!previous) return;
      if (step <= previous[0] || step % previous[0] !== 0) {
        fail(['tiers', i], `"${cfg.tiers[i]}" must have a step that is a larger multiple of the previous tier's step; list tiers finest first, e.g. 1m, 5m, 1h, 1d`);
      }
    });
    if (cfg.archive.glacierAfterDays <= cfg.archive.infrequentAccessAfterDays) {
      fail(['archive', 'glacierAfterDays'], `(${cfg.archive.glacierAfterDays}) must be later than infrequentAccessAfterDays (${cfg.archive.infrequentAccessAfterDays})`);
    }
  });
export type TsdbConfig = z.infer<typeof tsdbSchema>;
