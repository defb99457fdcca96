import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startSeriesTable } from './aws-local';
import { startRedis, type RedisServer } from './redis-server';

export interface TsdbStores {
  readonly redis: Redis;
  readonly dynamodb: DynamoDBClient;
}

/**
 * A real redis-server and a dynalite series table for the file that calls it, started before its tests
 * and stopped after them. The fields are set once the file's beforeAll has run.
 */
export function useTsdbStores(tableName: string): TsdbStores {
  const stores = {} as { redis: Redis; dynamodb: DynamoDBClient };
  let server: RedisServer | undefined;
  let closeTable: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    server = await startRedis();
    stores.redis = server.client();
    const table = await startSeriesTable(tableName);
    stores.dynamodb = table.dynamodb;
    closeTable = table.close;
  });
  afterAll(async () => {
    await server?.stop();
    await closeTable?.();
  });
  return stores;
}
