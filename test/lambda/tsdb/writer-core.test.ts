import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRecord } from '../../../lambda/tsdb/record';
import { HashRing } from '../../../lambda/tsdb/ring';
import { processRecords, type InputRecord, type Rejection, type WriterDeps } from '../../../lambda/tsdb/writer-core';
import { startRedis, waitForReplica, type RedisServer } from '../../support/redis-server';

const T0 = 1_767_225_600;
let servers: RedisServer[] = [];
let primary: Redis;

const good = (id: string, host: string): InputRecord => ({
  id, partitionKey: host, data: encodeRecord({ v: 1, hostId: host, points: [{ name: 'cpu', time: T0 + 7, value: 1.5 }] }),
});
const bad: InputRecord = { id: 'seq-bad', partitionKey: 'h', data: Buffer.from('{not json') };

function deps(reject: (r: Rejection[]) => Promise<void>): WriterDeps {
  return {
    ring: new HashRing(['shard-0']), shards: [primary], replicaTimeoutMs: 1000, reject,
    // flushPoints is high so no window fills: the store is never called.
    settings: { tiers: [{ step: 60, retention: 86_400 }], flushPoints: 60 },
    store: { tableName: 'unused', dynamodb: { send: async () => { throw new Error('the store must not be called'); } } as unknown as DynamoDBClient },
  };
}

beforeAll(async () => {
  const p = await startRedis();
  const r = await startRedis({ replicaOf: p.port });
  servers = [p, r];
  primary = p.client();
  await waitForReplica(primary);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe('writer: rejected records', () => {
  it('acknowledges a bad record once it is on the rejected-records topic, and writes the good ones', async () => {
    const sent: Rejection[] = [];
    const outcome = await processRecords([good('seq-1', 'a'), bad, good('seq-2', 'b')], deps(async (r) => { sent.push(...r); }));
    expect(outcome.failedIds).toEqual([]);
    expect(sent.map((r) => r.id)).toEqual(['seq-bad']);
    expect(sent[0]!.reason).toMatch(/json/i);
    expect(await primary.hgetall(`ts:a/cpu@${T0}`)).toEqual({ [T0]: '1.5' });
  });

  it('reports the bad record as failed (so Kinesis retries it) when the topic cannot take it', async () => {
    const outcome = await processRecords([good('seq-3', 'c'), bad, good('seq-4', 'd')], deps(async () => { throw new Error('SNS throttled'); }));
    expect(outcome.failedIds).toEqual(['seq-bad']);
    expect(outcome.rejected.map((r) => r.id)).toEqual(['seq-bad']);
    expect(await primary.hgetall(`ts:d/cpu@${T0}`)).toEqual({ [T0]: '1.5' });
  });
});
