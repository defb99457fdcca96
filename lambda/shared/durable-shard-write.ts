import type { ChainableCommander, Redis } from 'ioredis';

/** A shard write that did not become durable: the caller must not acknowledge its records. */
export class DurabilityError extends Error {
  override readonly name = 'DurabilityError';
}

export interface DurableWriteOptions {
  /** How long to wait for the standby to confirm, ms. */
  readonly replicaTimeoutMs: number;
}

/**
 * THE contract between the TSDB writer and the Redis shard pair (issue 4 owns its mechanism):
 * runs the shard's pipeline and resolves only when the writes are durable enough to let Kinesis move
 * past them. The writer acknowledges a record only after this resolves for every shard it touched.
 * PLACEHOLDER mechanism: pipeline, then WAIT for one replica.
 */
export async function durableShardWrite(
  redis: Redis,
  build: (pipeline: ChainableCommander) => void,
  options: DurableWriteOptions,
): Promise<void> {
  const pipeline = redis.pipeline();
  build(pipeline);
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw new DurabilityError(`pipeline failed: ${String(failed[0])}`);
  const replicas = (await redis.call('WAIT', '1', String(options.replicaTimeoutMs))) as number;
  if (replicas < 1) throw new DurabilityError('no replica confirmed the writes in time');
}
