import { BatchGetItemCommand, type AttributeValue, type BatchGetItemCommandOutput, type KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Redis } from 'ioredis';
import { archiveKey } from './archive-keys';
import { mapLimit } from './concurrency';
import { decodeGorilla } from './gorilla';
import { windowKey, windowMember } from './redis-keys';
import type { HashRing } from './ring';
import { tierByStep, windowSortKey, windowSpan, windowsCovering, type Tier, type TsdbSettings } from './tiers';
import { itemPoints, type PointsMap, type WindowStore } from './window-store';

export interface ReadRequest {
  readonly series: readonly string[];
  /** Epoch seconds, inclusive. */
  readonly from: number;
  /** Epoch seconds, exclusive. */
  readonly to: number;
  /** Tier step in seconds; default the raw step. */
  readonly step?: number;
}

export interface SeriesData {
  readonly series: string;
  readonly step: number;
  readonly points: Array<[number, number]>;
}

export interface ReaderDeps {
  readonly ring: HashRing;
  readonly shards: readonly Redis[];
  readonly store: WindowStore;
  /**
   * The archive's client, asked for only when a read reaches the archive. Most reads never do, and
   * the S3 client is a third of the reader's module load, so the reader creates it on first use.
   */
  readonly s3: () => Promise<S3Client>;
  readonly bucket: string;
  readonly settings: TsdbSettings;
  readonly now?: () => number;
}

/** DynamoDB deletes expired items within about two days: until then an expired window may be in both. */
const TTL_LAG_SECONDS = 2 * 86_400;
/** One query may not read more windows than this (ask for a coarser step instead). */
export const MAX_WINDOWS_PER_QUERY = 20_000;

interface WindowRef { readonly series: string; readonly start: number }

/** Which stores can hold a window, by its age: Redis (raw tier, recent), DynamoDB (until TTL), S3 (after). */
export function storesFor(settings: TsdbSettings, tier: Tier, windowStart: number, nowS: number): { redis: boolean; dynamodb: boolean; s3: boolean } {
  const expiresAt = windowStart + windowSpan(settings, tier) + tier.retention;
  return {
    redis: tier === settings.tiers[0] && expiresAt > nowS,
    dynamodb: expiresAt + TTL_LAG_SECONDS > nowS,
    s3: expiresAt <= nowS,
  };
}

/**
 * Reads many series for [from, to) in one tier. Every store is asked in bulk (one pipeline per Redis
 * shard, BatchGetItem of 100 keys, parallel S3 GETs), then merged point by point with
 * Redis over DynamoDB over S3 (the newest copy of a point wins).
 */
export async function readSeries(request: ReadRequest, deps: ReaderDeps): Promise<SeriesData[]> {
  const { settings } = deps;
  const tier = tierByStep(settings, request.step ?? settings.tiers[0]!.step);
  if (!tier) throw new Error(`step ${request.step} is no tier; use one of ${settings.tiers.map((t) => t.step).join(', ')}`);
  if (!(request.to > request.from)) throw new Error('to must be after from');
  const starts = windowsCovering(settings, tier, request.from, request.to);
  if (starts.length * request.series.length > MAX_WINDOWS_PER_QUERY) {
    throw new Error(`the query spans ${starts.length * request.series.length} windows (limit ${MAX_WINDOWS_PER_QUERY}); ask for a coarser step or fewer series`);
  }
  const nowS = Math.floor((deps.now ?? Date.now)() / 1000);
  const wanted = { redis: [] as WindowRef[], dynamodb: [] as WindowRef[], s3: [] as WindowRef[] };
  for (const series of request.series) {
    for (const start of starts) {
      const where = storesFor(settings, tier, start, nowS);
      if (where.redis) wanted.redis.push({ series, start });
      if (where.dynamodb) wanted.dynamodb.push({ series, start });
      if (where.s3) wanted.s3.push({ series, start });
    }
  }
  const [fromS3, fromDynamo, fromRedis] = await Promise.all([
    readArchive(wanted.s3, tier, deps),
    readTable(wanted.dynamodb, tier, deps),
    readRedis(wanted.redis, deps),
  ]);
  return request.series.map((series) => {
    const merged = new Map<number, number>();
    for (const source of [fromS3, fromDynamo, fromRedis]) {
      for (const [ts, v] of source.get(series) ?? []) if (ts >= request.from && ts < request.to) merged.set(ts, v);
    }
    return { series, step: tier.step, points: [...merged].sort((a, b) => a[0] - b[0]) };
  });
}

type BySeries = Map<string, Array<readonly [number, number]>>;

function collect(into: BySeries, series: string, points: Iterable<readonly [number, number]>): void {
  let list = into.get(series);
  if (!list) into.set(series, (list = []));
  for (const p of points) list.push(p);
}

async function readRedis(refs: readonly WindowRef[], deps: ReaderDeps): Promise<BySeries> {
  const out: BySeries = new Map();
  const byShard = new Map<number, WindowRef[]>();
  for (const ref of refs) {
    const shard = deps.ring.shardOf(ref.series);
    byShard.set(shard, [...(byShard.get(shard) ?? []), ref]);
  }
  await Promise.all([...byShard].map(async ([shard, list]) => {
    const pipeline = deps.shards[shard]!.pipeline();
    for (const ref of list) pipeline.hgetall(windowKey(windowMember(ref.series, ref.start)));
    const results = (await pipeline.exec()) ?? [];
    results.forEach(([error, fields], i) => {
      if (error) throw error;
      collect(out, list[i]!.series, Object.entries(fields as Record<string, string>).map(([ts, v]) => [Number(ts), Number(v)] as const));
    });
  }));
  return out;
}

async function readTable(refs: readonly WindowRef[], tier: Tier, deps: ReaderDeps): Promise<BySeries> {
  const out: BySeries = new Map();
  const chunks: WindowRef[][] = [];
  for (let i = 0; i < refs.length; i += 100) chunks.push(refs.slice(i, i + 100));
  await mapLimit(chunks, 8, async (chunk) => {
    let request: Record<string, KeysAndAttributes> | undefined = {
      [deps.store.tableName]: {
        Keys: chunk.map((r) => ({ series: { S: r.series }, window: { S: windowSortKey(r.start, tier.step) } })),
        ProjectionExpression: 'series, points',
      },
    };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 1000)));
      if (attempt > 8) throw new Error('DynamoDB kept returning unprocessed keys');
      const res: BatchGetItemCommandOutput = await deps.store.dynamodb.send(new BatchGetItemCommand({ RequestItems: request }));
      for (const item of res.Responses?.[deps.store.tableName] ?? []) {
        collect(out, (item.series as AttributeValue).S!, itemPoints(deps.settings, tier, (item.points?.M ?? {}) as PointsMap));
      }
      request = res.UnprocessedKeys;
    }
  });
  return out;
}

async function readArchive(refs: readonly WindowRef[], tier: Tier, deps: ReaderDeps): Promise<BySeries> {
  const out: BySeries = new Map();
  if (refs.length === 0) return out;
  const [{ GetObjectCommand }, s3] = await Promise.all([import('@aws-sdk/client-s3'), deps.s3()]);
  await mapLimit(refs, 32, async (ref) => {
    try {
      const res = await s3.send(new GetObjectCommand({ Bucket: deps.bucket, Key: archiveKey(ref.series, tier.step, ref.start) }));
      collect(out, ref.series, decodeGorilla(await res.Body!.transformToByteArray()));
    } catch (error) {
      if ((error as Error).name !== 'NoSuchKey' && (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw error;
    }
  });
  return out;
}
