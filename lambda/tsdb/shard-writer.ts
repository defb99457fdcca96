import type { Redis } from 'ioredis';
import { durableShardWrite } from '../../common/durable-shard-write';
import { HSET_PACKED, PackedHsets } from './packed-hsets';

/**
 * Points after which a shard's packed writes go out while the batch is still being parsed: Redis
 * writes (and replicates) one part while the writer packs the next, instead of idling until the whole
 * batch is packed. Each part is a complete durable write (its own WAIT, or the journal).
 */
export const EARLY_WRITE_POINTS = 16_384;
/**
 * Parts of one shard in flight at once: two keep the shard busy (the next part is queued while the
 * last one waits for its WAIT) and bound a degraded batch (standby gone, every WAIT times out) to
 * about three replica timeouts: while both are out, points accumulate into the final part.
 */
const PARTS_IN_FLIGHT = 2;

interface Part {
  readonly done: Promise<unknown>;
  /** Indexes (into the batch's records) of the records with points in this part. */
  readonly records: number[];
  /** Keys of windows whose last step this part wrote: candidates to move once it is durable. */
  readonly maybeFull: string[];
}

export interface ShardOutcome {
  /** Indexes of the records whose points on this shard are not durable. */
  readonly failedRecords: number[];
  /** The first failure, when any part failed. */
  readonly error?: Error;
  /** Move candidates whose writes were confirmed. */
  readonly maybeFull: string[];
}

/** One shard's writes for one batch: packed, sent as durable parts, each confirmed on its own. */
export class ShardWriter {
  private writes = new PackedHsets();
  private records: number[] = [];
  private maybeFull: string[] = [];
  private readonly parts: Part[] = [];
  private inFlight = 0;

  constructor(private readonly redis: Redis, private readonly replicaTimeoutMs: number) {}

  add(record: number, field: string, keyHead: string, name: string, keyTail: string, value: string, lastStep: boolean): void {
    if (this.records[this.records.length - 1] !== record) this.records.push(record);
    this.writes.add(field, keyHead, name, keyTail, value);
    if (lastStep) this.maybeFull.push(keyHead + name + keyTail);
  }

  /** Sends what is packed as a durable part when it is big enough and the shard can take another. */
  sendIfDue(): void {
    if (this.writes.points >= EARLY_WRITE_POINTS && this.inFlight < PARTS_IN_FLIGHT) this.send();
  }

  /** Sends the rest and settles every part. Never throws: failures come back as failed records. */
  async finish(): Promise<ShardOutcome> {
    if (this.writes.points > 0) this.send();
    const settled = await Promise.allSettled(this.parts.map((p) => p.done));
    const failedRecords: number[] = [];
    const maybeFull: string[] = [];
    let error: Error | undefined;
    settled.forEach((result, i) => {
      const part = this.parts[i]!;
      if (result.status === 'fulfilled') {
        maybeFull.push(...part.maybeFull);
      } else {
        error ??= result.reason as Error;
        failedRecords.push(...part.records);
      }
    });
    return { failedRecords, error, maybeFull: [...new Set(maybeFull)] };
  }

  private send(): void {
    const calls = this.writes.finish();
    this.inFlight += 1;
    const done = durableShardWrite(this.redis, (pipeline) => {
      for (const args of calls) pipeline.eval(HSET_PACKED, 0, ...args);
    }, { replicaTimeoutMs: this.replicaTimeoutMs }).finally(() => { this.inFlight -= 1; });
    done.catch(() => undefined); // settled in finish(); never an unhandled rejection meanwhile
    this.parts.push({ done, records: this.records, maybeFull: this.maybeFull });
    this.writes = new PackedHsets();
    this.records = [];
    this.maybeFull = [];
  }
}
