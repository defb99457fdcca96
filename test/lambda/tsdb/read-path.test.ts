import { describe, expect, it } from 'vitest';
import { moveWindow } from '../../../lambda/tsdb/mover';
import { readSeries, type ReaderDeps } from '../../../lambda/tsdb/read-path';
import { windowKey, windowMember } from '../../../lambda/tsdb/redis-keys';
import { HashRing } from '../../../lambda/tsdb/ring';
import { useTsdbStores } from '../../support/tsdb-stores';

const T0 = 1_767_225_600;
const SPAN = 300; // 5 points of 60 s per window
const settings = { tiers: [{ step: 60, retention: 86_400 }], flushPoints: 5 };
const TABLE = 'series';

const stores = useTsdbStores(TABLE);

const deps = (): ReaderDeps => ({
  ring: new HashRing(['shard-0']),
  shards: [stores.redis],
  store: { dynamodb: stores.dynamodb, tableName: TABLE },
  s3: async () => { throw new Error('no read here reaches the archive'); },
  bucket: 'archive',
  settings,
  now: () => (T0 + 3600) * 1000,
});

/** Two windows of one series: points every minute from T0 to T0 + 540 with value = minute index. */
async function seed(series: string): Promise<void> {
  for (const start of [T0, T0 + SPAN]) {
    const fields = Array.from({ length: 5 }, (_, i) => [String(start + i * 60), String((start - T0) / 60 + i)]).flat();
    await stores.redis.hset(windowKey(windowMember(series, start)), ...fields);
  }
}

const times = (points: Array<[number, number]>) => points.map(([ts]) => ts - T0);


describe('the read path reads [from, to)', () => {
  it('includes a point at `from` and excludes a point at `to`, from Redis', async () => {
    await seed('redis/only');
    const [data] = await readSeries({ series: ['redis/only'], from: T0 + 60, to: T0 + 300 }, deps());
    expect(times(data!.points)).toEqual([60, 120, 180, 240]);
  });

  it('excludes the first point of the next window when `to` is that window start, from DynamoDB too', async () => {
    await seed('dynamodb/only');
    const store = { dynamodb: stores.dynamodb, tableName: TABLE };
    for (const start of [T0, T0 + SPAN]) await moveWindow(stores.redis, store, settings, 'dynamodb/only', start);
    expect(await stores.redis.exists(windowKey(windowMember('dynamodb/only', T0)))).toBe(0);
    const [data] = await readSeries({ series: ['dynamodb/only'], from: T0, to: T0 + SPAN }, deps());
    expect(times(data!.points)).toEqual([0, 60, 120, 180, 240]);
    const [later] = await readSeries({ series: ['dynamodb/only'], from: T0 + 240, to: T0 + 480 }, deps());
    expect(times(later!.points)).toEqual([240, 300, 360, 420]);
  });

  it('refuses an empty or inverted range', async () => {
    await expect(readSeries({ series: ['x'], from: T0, to: T0 }, deps())).rejects.toThrow(/to must be after from/);
  });
});
