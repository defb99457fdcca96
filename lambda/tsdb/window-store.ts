import {
  ConditionalCheckFailedException, PutItemCommand, UpdateItemCommand,
  type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { alignDown, windowSortKey, windowSpan, windowStartOf, type Tier, type TsdbSettings } from './tiers';

/**
 * DynamoDB layout: one item per (series, window) and tier.
 *   series (PK) | window (SK) "<windowStart>:<step>" | expiresAt (TTL: window end + tier retention) | points (map)
 * Raw tier:    points = { "<ts>": N value }
 * Rollup tier: points = { "<bucket>/<raw window start>": L [N sum, N count] } -- one partial per raw window,
 *   so re-moving a raw window overwrites its own partial: rollups stay idempotent under retries.
 * Every write is a field-level merge (never a whole-item put over existing data), so late points and
 * replays only add or overwrite their own fields.
 */
export interface WindowStore {
  readonly dynamodb: DynamoDBClient;
  readonly tableName: string;
}

/** UpdateExpression is limited to 4 KB: at most this many fields per call. */
const FIELDS_PER_UPDATE = 100;

export type PointsMap = Record<string, AttributeValue>;

async function mergeFields(store: WindowStore, series: string, window: string, expiresAt: number, fields: Array<[string, AttributeValue]>): Promise<PointsMap> {
  let merged: PointsMap = {};
  for (let offset = 0; offset < fields.length; offset += FIELDS_PER_UPDATE) {
    const chunk = fields.slice(offset, offset + FIELDS_PER_UPDATE);
    merged = await mergeChunk(store, series, window, expiresAt, chunk);
  }
  return merged;
}

async function mergeChunk(store: WindowStore, series: string, window: string, expiresAt: number, chunk: Array<[string, AttributeValue]>): Promise<PointsMap> {
  const names: Record<string, string> = { '#p': 'points', '#e': 'expiresAt' };
  const values: Record<string, AttributeValue> = { ':e': { N: String(expiresAt) } };
  const sets = chunk.map(([field, value], i) => {
    names[`#f${i}`] = field;
    values[`:v${i}`] = value;
    return `#p.#f${i} = :v${i}`;
  });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const out = await store.dynamodb.send(new UpdateItemCommand({
        TableName: store.tableName,
        Key: { series: { S: series }, window: { S: window } },
        UpdateExpression: `SET ${sets.join(', ')}, #e = :e`,
        ConditionExpression: 'attribute_exists(#p)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }));
      return out.Attributes?.points?.M ?? {};
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) && (error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
    // No item yet: create it, unless someone else just did (then merge again).
    const points = Object.fromEntries(chunk);
    try {
      await store.dynamodb.send(new PutItemCommand({
        TableName: store.tableName,
        Item: { series: { S: series }, window: { S: window }, expiresAt: { N: String(expiresAt) }, points: { M: points } },
        ConditionExpression: 'attribute_not_exists(series)',
      }));
      return points;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) && (error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  throw new Error(`could not merge ${series} ${window}: the item kept changing`);
}

/** Raw points of a window, merged into its item; returns every point the item now holds. */
export async function mergeRawWindow(store: WindowStore, settings: TsdbSettings, series: string, windowStart: number, points: Map<number, number>): Promise<Map<number, number>> {
  const raw = settings.tiers[0]!;
  const fields: Array<[string, AttributeValue]> = [...points].map(([ts, v]) => [String(ts), { N: String(v) }]);
  const expiresAt = windowStart + windowSpan(settings, raw) + raw.retention;
  const merged = await mergeFields(store, series, windowSortKey(windowStart, raw.step), expiresAt, fields);
  return rawPoints(merged);
}

/** Rolls a complete raw window up into every coarser tier (one partial per bucket per raw window). */
export async function writeRollups(store: WindowStore, settings: TsdbSettings, series: string, rawWindowStart: number, points: Map<number, number>): Promise<void> {
  await Promise.all(settings.tiers.slice(1).map(async (tier) => {
    const partials = new Map<number, [number, number]>();
    for (const [ts, value] of points) {
      const bucket = alignDown(ts, tier.step);
      const acc = partials.get(bucket) ?? [0, 0];
      acc[0] += value;
      acc[1] += 1;
      partials.set(bucket, acc);
    }
    if (partials.size === 0) return;
    const tierWindow = windowStartOf(settings, tier, rawWindowStart);
    const fields: Array<[string, AttributeValue]> = [...partials].map(([bucket, [sum, n]]) => [
      `${bucket}/${rawWindowStart}`, { L: [{ N: String(sum) }, { N: String(n) }] },
    ]);
    await mergeFields(store, series, windowSortKey(tierWindow, tier.step), tierWindow + windowSpan(settings, tier) + tier.retention, fields);
  }));
}

export function rawPoints(map: PointsMap): Map<number, number> {
  const out = new Map<number, number>();
  for (const [field, value] of Object.entries(map)) if (value.N !== undefined) out.set(Number(field), Number(value.N));
  return out;
}

/** A rollup item's partials as one average per bucket. */
export function rollupPoints(map: PointsMap): Map<number, number> {
  const sums = new Map<number, [number, number]>();
  for (const [field, value] of Object.entries(map)) {
    const bucket = Number(field.slice(0, field.indexOf('/')));
    const [sum, n] = (value.L ?? []).map((v) => Number(v.N));
    const acc = sums.get(bucket) ?? [0, 0];
    acc[0] += sum ?? 0;
    acc[1] += n ?? 0;
    sums.set(bucket, acc);
  }
  return new Map([...sums].filter(([, [, n]]) => n > 0).map(([bucket, [sum, n]]) => [bucket, sum / n]));
}

/** The points of an item of the given tier (raw values, or averages for a rollup tier). */
export function itemPoints(settings: TsdbSettings, tier: Tier, map: PointsMap): Map<number, number> {
  return tier.step === settings.tiers[0]!.step ? rawPoints(map) : rollupPoints(map);
}
