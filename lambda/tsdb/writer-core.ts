import type { Redis } from 'ioredis';
import { durableShardWrite } from '../../common/durable-shard-write';
import { mapLimit } from './concurrency';
import { moveWindow } from './mover';
import { parseRecord } from './record';
import { memberOfKey, parseWindowMember, windowKey, windowMember } from './redis-keys';
import type { HashRing } from './ring';
import { alignDown, windowSpan, type TsdbSettings } from './tiers';
import type { WindowStore } from './window-store';

/** Window moves in flight per shard (each is a few DynamoDB calls). */
const MOVE_CONCURRENCY = 16;
/** Windows per HSET_MANY call (bounded so one call never blocks the shard for long). */
const WINDOWS_PER_CALL = 500;
/**
 * HSET of many windows in one call. ARGV holds, per key, the number of field/value pairs and then
 * the pairs; HSET is issued in slices of 500 pairs to stay below Lua's unpack limit.
 */
const HSET_MANY = `
local a = 1
for _, key in ipairs(KEYS) do
  local pairs = tonumber(ARGV[a])
  local first = a + 1
  local last = a + 2 * pairs
  for i = first, last, 1000 do
    redis.call('HSET', key, unpack(ARGV, i, math.min(i + 999, last)))
  end
  a = last + 1
end
return #KEYS`;

export interface InputRecord {
  /** Kinesis sequence number: the id reported back as a batch item failure. */
  readonly id: string;
  readonly partitionKey?: string;
  readonly data: Uint8Array;
}

export interface Rejection {
  readonly id: string;
  readonly partitionKey?: string;
  readonly reason: string;
  readonly data: Uint8Array;
}

export interface WriterDeps {
  /** Consistent-hash ring over the shard VIPs; `shards[i]` is the client of `ring.nodes[i]`. */
  readonly ring: HashRing;
  readonly shards: readonly Redis[];
  readonly store: WindowStore;
  readonly settings: TsdbSettings;
  readonly replicaTimeoutMs: number;
  /** Sends invalid records, with the reason, to the failure destination. Throwing fails those records. */
  readonly reject: (rejections: Rejection[]) => Promise<void>;
  readonly log?: (message: string, detail: Record<string, unknown>) => void;
}

export interface WriteOutcome {
  /** Records not acknowledged (a shard they touched failed): report them as batch item failures. */
  readonly failedIds: string[];
  readonly rejected: Rejection[];
  readonly points: number;
  readonly movedWindows: number;
  readonly failedShards: number[];
}

interface ShardBatch {
  /** Window hash key (`ts:<series>@<start>`) -> flattened [field, value, field, value, ...]. */
  readonly fields: Map<string, string[]>;
  readonly records: Set<string>;
  /** Keys of the windows whose last step was written: candidates to move when full. */
  readonly maybeFull: Set<string>;
}

/**
 * The writer's whole path for one batch, reusable outside Lambda (the failover drill drives it):
 * validate -> align -> group by shard -> one durable pipeline per shard -> move full windows.
 * A record is acknowledged only when every shard it touched confirmed its writes.
 */
export async function processRecords(records: readonly InputRecord[], deps: WriterDeps): Promise<WriteOutcome> {
  const { ring, settings } = deps;
  const raw = settings.tiers[0]!;
  const span = windowSpan(settings, raw);
  const lastStepOffset = span - raw.step;
  const batches: ShardBatch[] = deps.shards.map(() => ({ fields: new Map(), records: new Set(), maybeFull: new Set() }));
  const rejected: Rejection[] = [];
  let points = 0;

  for (const record of records) {
    const parsed = parseRecord(record.data);
    if (!parsed.ok) {
      rejected.push({ id: record.id, partitionKey: record.partitionKey, reason: parsed.reason, data: record.data });
      continue;
    }
    // A host's points usually share one timestamp: format it once per run of equal times.
    let lastTs = Number.NaN;
    let lastTsText = '';
    for (const point of parsed.points) {
      const batch = batches[ring.shardOf(point.series)]!;
      const ts = alignDown(point.time, raw.step);
      if (ts !== lastTs) {
        lastTs = ts;
        lastTsText = String(ts);
      }
      const start = ts - (ts % span);
      const key = windowKey(windowMember(point.series, start));
      let list = batch.fields.get(key);
      if (!list) batch.fields.set(key, (list = []));
      list.push(lastTsText, String(point.value));
      if (ts - start === lastStepOffset) batch.maybeFull.add(key);
      batch.records.add(record.id);
    }
    points += parsed.points.length;
  }

  const results = await Promise.allSettled(batches.map(async (batch, shard) => {
    if (batch.fields.size === 0) return 0;
    const redis = deps.shards[shard]!;
    await durableShardWrite(redis, (pipeline) => {
      // Windows go in groups through one script call: a command per point would make the client, not
      // Redis, the bottleneck. The hash itself is all the flusher needs to find a window later.
      let keys: string[] = [];
      let args: string[] = [];
      for (const [key, list] of batch.fields) {
        keys.push(key);
        args.push(String(list.length / 2), ...list);
        if (keys.length >= WINDOWS_PER_CALL) {
          pipeline.eval(HSET_MANY, keys.length, ...keys, ...args);
          keys = [];
          args = [];
        }
      }
      if (keys.length > 0) pipeline.eval(HSET_MANY, keys.length, ...keys, ...args);
    }, { replicaTimeoutMs: deps.replicaTimeoutMs });
    return moveFullWindows(redis, [...batch.maybeFull], deps, shard);
  }));

  const failedShards = results.flatMap((r, shard) => (r.status === 'rejected' ? [shard] : []));
  const failed = new Set<string>();
  for (const shard of failedShards) {
    const reason = (results[shard] as PromiseRejectedResult).reason as Error;
    deps.log?.('shard write failed: its records are retried', { shard: ring.nodes[shard], error: reason.message, records: batches[shard]!.records.size });
    for (const id of batches[shard]!.records) failed.add(id);
  }
  if (rejected.length > 0) {
    try {
      await deps.reject(rejected);
    } catch (error) {
      deps.log?.('could not send rejected records to the failure destination: they are retried', { error: (error as Error).message });
      for (const r of rejected) failed.add(r.id);
    }
  }
  const movedWindows = results.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value : 0), 0);
  return { failedIds: records.filter((r) => failed.has(r.id)).map((r) => r.id), rejected, points, movedWindows, failedShards };
}

/**
 * Moves the windows that now hold `flushPoints` points. Best effort: the points are already durable in
 * Redis and indexed, so a failed move is retried by the flusher and never fails the records.
 */
async function moveFullWindows(redis: Redis, candidates: string[], deps: WriterDeps, shard: number): Promise<number> {
  if (candidates.length === 0) return 0;
  try {
    const pipeline = redis.pipeline();
    for (const key of candidates) pipeline.hlen(key);
    const lengths = (await pipeline.exec()) ?? [];
    const full = candidates.filter((_, i) => Number(lengths[i]?.[1] ?? 0) >= deps.settings.flushPoints);
    await mapLimit(full, MOVE_CONCURRENCY, async (key) => {
      const { series, windowStart } = parseWindowMember(memberOfKey(key));
      await moveWindow(redis, deps.store, deps.settings, series, windowStart);
    });
    return full.length;
  } catch (error) {
    deps.log?.('moving full windows failed: the flusher will move them', { shard: deps.ring.nodes[shard], error: (error as Error).message });
    return 0;
  }
}
