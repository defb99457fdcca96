import type { Redis } from 'ioredis';
import { mapLimit } from './concurrency';
import { parseHostBatch, seriesId } from './record';
import { memberOfKey, parseWindowMember, windowKey, windowMember } from './redis-keys';
import { fnv1aFinish, fnv1aUpdate, FNV_OFFSET, type HashRing } from './ring';
import { ShardWriter } from './shard-writer';
import { alignDown, windowSpan, type TsdbSettings } from './tiers';
import type { WindowStore } from './window-store';

/** Window moves in flight per shard (each is a few DynamoDB calls). */
const MOVE_CONCURRENCY = 16;

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
  /**
   * Where full windows move. A function is called only when windows are full: they fill at the end of
   * their span (aligned, so every series at once), and most invocations never load DynamoDB code.
   */
  readonly store: WindowStore | (() => Promise<WindowStore>);
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

/** Records parsed between two looks at the shards' replies (the event loop runs in between). */
const RECORDS_PER_TURN = 16;

/**
 * The writer's whole path for one batch, reusable outside Lambda (the failover drill drives it):
 * validate -> align -> pack per shard -> durable writes per shard (sent in parts while parsing goes
 * on) -> move full windows. A record is acknowledged only when every shard it touched confirmed its
 * writes.
 */
export async function processRecords(records: readonly InputRecord[], deps: WriterDeps): Promise<WriteOutcome> {
  const { ring, settings } = deps;
  const raw = settings.tiers[0]!;
  const span = windowSpan(settings, raw);
  const lastStepOffset = span - raw.step;
  const writers = deps.shards.map((redis) => new ShardWriter(redis, deps.replicaTimeoutMs));
  const rejected: Rejection[] = [];
  let points = 0;
  // A batch's points mostly share a few timestamps: their texts are made once per run, not per point.
  let lastTs = Number.NaN;
  let tsText = '';
  let keyTail = '';
  let lastStart = 0;

  for (let r = 0; r < records.length; r++) {
    const record = records[r]!;
    const parsed = parseHostBatch(record.data);
    if (!parsed.ok) {
      rejected.push({ id: record.id, partitionKey: record.partitionKey, reason: parsed.reason, data: record.data });
      continue;
    }
    // Key = "ts:" + hostId + "/" + name + "@" + windowStart: the head and its hash are shared by the record.
    const seriesHead = seriesId(parsed.hostId, '');
    const keyHead = windowKey(seriesHead);
    const headHash = fnv1aUpdate(FNV_OFFSET, seriesHead);
    for (const point of parsed.points) {
      const ts = alignDown(point.time, raw.step);
      if (ts !== lastTs) {
        lastTs = ts;
        tsText = String(ts);
        lastStart = ts - (ts % span);
        keyTail = windowMember('', lastStart);
      }
      const shard = ring.shardOfHash(fnv1aFinish(fnv1aUpdate(headHash, point.name)));
      writers[shard]!.add(r, tsText, keyHead, point.name, keyTail, String(point.value), ts - lastStart === lastStepOffset);
    }
    points += parsed.points.length;
    if (r % RECORDS_PER_TURN === RECORDS_PER_TURN - 1) {
      for (const writer of writers) writer.sendIfDue();
      await new Promise(setImmediate); // lets sockets drain and replies settle parts in flight
    }
  }

  const results = await Promise.all(writers.map(async (writer, shard) => {
    const outcome = await writer.finish();
    const moved = await moveFullWindows(deps.shards[shard]!, outcome.maybeFull, deps, shard);
    return { ...outcome, moved };
  }));

  const failed = new Uint8Array(records.length);
  const failedShards: number[] = [];
  results.forEach((outcome, shard) => {
    if (!outcome.error) return;
    failedShards.push(shard);
    deps.log?.('shard write failed: its records are retried', { shard: ring.nodes[shard], error: outcome.error.message, records: new Set(outcome.failedRecords).size });
    for (const r of outcome.failedRecords) failed[r] = 1;
  });
  if (rejected.length > 0) {
    try {
      await deps.reject(rejected);
    } catch (error) {
      deps.log?.('could not send rejected records to the failure destination: they are retried', { error: (error as Error).message });
      const rejectedIds = new Set(rejected.map((x) => x.id));
      for (let r = 0; r < records.length; r++) if (rejectedIds.has(records[r]!.id)) failed[r] = 1;
    }
  }
  const movedWindows = results.reduce((n, o) => n + o.moved, 0);
  return { failedIds: records.filter((_, r) => failed[r] === 1).map((x) => x.id), rejected, points, movedWindows, failedShards };
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
    if (full.length === 0) return 0;
    // The move path (DynamoDB client and commands) is a chunk of its own, loaded on the first move.
    const [{ moveWindow }, store] = await Promise.all([import('./mover.js'), typeof deps.store === 'function' ? deps.store() : deps.store]);
    await mapLimit(full, MOVE_CONCURRENCY, async (key) => {
      const { series, windowStart } = parseWindowMember(memberOfKey(key));
      await moveWindow(redis, store, deps.settings, series, windowStart);
    });
    return full.length;
  } catch (error) {
    deps.log?.('moving full windows failed: the flusher will move them', { shard: deps.ring.nodes[shard], error: (error as Error).message });
    return 0;
  }
}
