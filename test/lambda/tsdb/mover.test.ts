import { GetItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { moveWindow } from '../../../lambda/tsdb/mover';
import { windowKey, windowMember } from '../../../lambda/tsdb/redis-keys';
import { windowSortKey } from '../../../lambda/tsdb/tiers';
import { useTsdbStores } from '../../support/tsdb-stores';

const T0 = 1_767_225_600;
const settings = { tiers: [{ step: 60, retention: 86_400 }], flushPoints: 5 };
const TABLE = 'series';
const SERIES = 'host-1/cpu.user';

const stores = useTsdbStores(TABLE);

async function rawItemPoints(): Promise<Record<string, string>> {
  const { Item } = await stores.dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { series: { S: SERIES }, window: { S: windowSortKey(T0, 60) } } }));
  return Object.fromEntries(Object.entries(Item?.points?.M ?? {}).map(([ts, v]) => [ts, v.N!]));
}

/** A DynamoDB client that runs `during` (once) before its first call: a writer racing the move. */
function racingClient(during: () => Promise<unknown>): DynamoDBClient {
  let ran = false;
  return {
    send: async (command: Parameters<DynamoDBClient['send']>[0]) => {
      if (!ran) {
        ran = true;
        await during();
      }
      return stores.dynamodb.send(command as never);
    },
  } as unknown as DynamoDBClient;
}


describe('moving a Redis window to DynamoDB', () => {
  it('keeps a point written to the window while the move runs, and moves it next time', async () => {
    const key = windowKey(windowMember(SERIES, T0));
    await stores.redis.hset(key, String(T0), '1', String(T0 + 60), '2', String(T0 + 120), '3');
    // Between the move's read and its release, a writer adds a new point and rewrites an old one.
    const store = { tableName: TABLE, dynamodb: racingClient(() => stores.redis.hset(key, String(T0 + 180), '4', String(T0 + 60), '2.5')) };

    const first = await moveWindow(stores.redis, store, settings, SERIES, T0);
    expect(first).toEqual({ points: 3, released: false });
    expect(await stores.redis.hgetall(key)).toEqual({ [T0 + 60]: '2.5', [T0 + 180]: '4' });
    expect(await rawItemPoints()).toEqual({ [T0]: '1', [T0 + 60]: '2', [T0 + 120]: '3' });

    const second = await moveWindow(stores.redis, { tableName: TABLE, dynamodb: stores.dynamodb }, settings, SERIES, T0);
    expect(second).toEqual({ points: 2, released: true });
    expect(await stores.redis.exists(key)).toBe(0);
    expect(await rawItemPoints()).toEqual({ [T0]: '1', [T0 + 60]: '2.5', [T0 + 120]: '3', [T0 + 180]: '4' });
  });

  it('a journal replay that re-creates a moved window changes nothing: moved again into the same items', async () => {
    // Raw minutes rolled up into 5-minute buckets: the re-move must leave the rollups as they were too.
    const tiered = { tiers: [{ step: 60, retention: 86_400 }, { step: 300, retention: 864_000 }], flushPoints: 5 };
    const series = 'host-3/cpu.user';
    const key = windowKey(windowMember(series, T0));
    const items = async () => (await stores.dynamodb.send(new ScanCommand({ TableName: TABLE }))).Items!.filter((i) => i.series?.S === series);
    await stores.redis.hset(key, String(T0), '1', String(T0 + 60), '2', String(T0 + 120), '3');
    expect(await moveWindow(stores.redis, { tableName: TABLE, dynamodb: stores.dynamodb }, tiered, series, T0)).toEqual({ points: 3, released: true });
    const moved = await items();
    expect(moved.length).toBe(2); // the raw window and its rollup
    // A demoted node's journal is replayed into the master after the move: two of the points return.
    await stores.redis.hset(key, String(T0 + 60), '2', String(T0 + 120), '3');
    expect(await moveWindow(stores.redis, { tableName: TABLE, dynamodb: stores.dynamodb }, tiered, series, T0)).toEqual({ points: 2, released: true });
    expect(await items()).toEqual(moved);
    expect(await stores.redis.exists(key)).toBe(0);
  });

  it('leaves the window in Redis when DynamoDB fails, so the next move repeats it', async () => {
    const series = 'host-2/cpu.user';
    const key = windowKey(windowMember(series, T0));
    await stores.redis.hset(key, String(T0), '7');
    const failing = { tableName: TABLE, dynamodb: { send: async () => { throw new Error('throttled'); } } as unknown as DynamoDBClient };
    await expect(moveWindow(stores.redis, failing, settings, series, T0)).rejects.toThrow(/throttled/);
    expect(await stores.redis.hgetall(key)).toEqual({ [T0]: '7' });
  });
});
