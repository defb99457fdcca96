import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRecord } from '../../../lambda/tsdb/record';
import { HashRing } from '../../../lambda/tsdb/ring';
import { processRecords, type InputRecord, type Rejection, type WriterDeps } from '../../../lambda/tsdb/writer-core';
import { EARLY_WRITE_POINTS } from '../../../lambda/tsdb/shard-writer';
import { DURABILITY_KEYS } from '../../../common/durable-shard-write';
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

describe('writer: packed writes in parts (a batch bigger than one part)', () => {
  const HOSTS = 120;
  const METRICS = 200; // 24,000 points on one shard: more than EARLY_WRITE_POINTS, so at least two parts
  const value = (h: number, m: number) => h * 1000 + m + 0.125;
  const records = (minute: number, host = (h: number) => `big-${h}`, hosts = HOSTS): InputRecord[] => Array.from({ length: hosts }, (_, h) => ({
    id: `m${minute}-${h}`,
    data: encodeRecord({ v: 1, hostId: host(h), points: Array.from({ length: METRICS }, (_, m) => ({ name: `g${m % 7}.m${m}`, time: T0 + minute * 60 + 13, value: value(h, m) + minute })) }),
  }));
  const waits = async (redis: Redis) => Number(/cmdstat_wait:calls=(\d+)/.exec(await redis.info('commandstats'))?.[1] ?? 0);

  it('writes every point exactly (key, aligned field, value text) and confirms each part with its own WAIT', async () => {
    expect(HOSTS * METRICS).toBeGreaterThan(EARLY_WRITE_POINTS);
    const before = await waits(primary);
    const outcome = await processRecords(records(0), deps(async () => undefined));
    expect(outcome).toMatchObject({ failedIds: [], failedShards: [], points: HOSTS * METRICS });
    expect(await waits(primary) - before).toBeGreaterThanOrEqual(2);
    const read = primary.pipeline();
    for (let h = 0; h < HOSTS; h++) for (let m = 0; m < METRICS; m++) read.hgetall(`ts:big-${h}/g${m % 7}.m${m}@${T0}`);
    const hashes = ((await read.exec()) ?? []).map(([, v]) => v);
    hashes.forEach((hash, i) => expect(hash).toEqual({ [T0]: String(value(Math.floor(i / METRICS), i % METRICS)) }));
  });

  it('fails every record with points in a part no replica confirmed (every part), and no other', async () => {
    const lonely = await startRedis(); // no replica, no lease: no part on it can become durable
    servers.push(lonely);
    const client = lonely.client();
    const ring = new HashRing(['shard-0', 'shard-1']);
    // Single-point records between the big ones: those on shard 0 only must still be acknowledged.
    const small = Array.from({ length: 40 }, (_, i) => ({ id: `small-${i}`, data: encodeRecord({ v: 1, hostId: `small-${i}`, points: [{ name: 'cpu', time: T0 + 60, value: i }] }) }));
    // Twice the hosts: each shard gets more than EARLY_WRITE_POINTS, so the failing shard fails in several parts.
    const input = records(1, undefined, 2 * HOSTS).flatMap((r, h) => (h < small.length ? [r, small[h]!] : [r]));
    // The timeout is long enough for the healthy shard's replica on a loaded machine; the lonely shard's parts each wait it out.
    const outcome = await processRecords(input, { ...deps(async () => undefined), ring, shards: [primary, client], replicaTimeoutMs: 1000 });
    const onShard1 = (r: InputRecord) => (r.id.startsWith('small-') ? ring.shardOf(`${r.id}/cpu`) === 1 : true); // 200 metrics: every big host has some on shard 1
    expect(outcome.failedShards).toEqual([1]);
    expect(small.some((r) => !onShard1(r)) && small.some(onShard1)).toBe(true);
    expect(outcome.failedIds).toEqual(input.filter(onShard1).map((r) => r.id));
    expect(await waits(client)).toBeGreaterThanOrEqual(2);
    // Shard 0 holds its points (confirmed); shard 1's were written but not confirmed, so not acknowledged.
    for (let m = 0; m < METRICS; m++) {
      const series = `big-7/g${m % 7}.m${m}`;
      const own = ring.shardOf(series) === 0 ? primary : client;
      expect(await own.hget(`ts:${series}@${T0}`, String(T0 + 60))).toBe(String(value(7, m) + 1));
    }
  });

  it('journals the packed parts on a leased master without a standby, and the journal replays to the same data', async () => {
    const alone = await startRedis();
    const fresh = await startRedis();
    servers.push(alone, fresh);
    const [redis, replay] = [alone.client(), fresh.client()];
    await redis.set(DURABILITY_KEYS.lease, /run_id:(\w+)/.exec(await redis.info('server'))![1]!);
    const outcome = await processRecords(records(2, (h) => `j-${h}`), { ...deps(async () => undefined), shards: [redis], replicaTimeoutMs: 20 });
    expect(outcome.failedIds).toEqual([]);
    const entries = await redis.xrange(DURABILITY_KEYS.journal, '-', '+');
    expect(entries.length).toBeGreaterThanOrEqual(2); // one per part
    // What the failover agent does on demotion: run each journalled command on the winner.
    for (const [, fields] of entries) for (const [name, ...args] of JSON.parse(fields[fields.indexOf('c') + 1]!) as [string, ...string[]][]) await replay.call(name, ...args);
    const keys = (await redis.keys('ts:j-*')).sort();
    expect(keys).toHaveLength(HOSTS * METRICS);
    expect((await replay.keys('ts:j-*')).sort()).toEqual(keys);
    for (const key of keys.slice(0, 500)) expect(await replay.hgetall(key)).toEqual(await redis.hgetall(key));
  });
});

describe('writer: the window store is loaded on the first move only', () => {
  it('never asks for the store in a batch that fills no window, and asks once when windows fill', async () => {
    let asked = 0;
    const logged: string[] = [];
    const failing = { tableName: 't', dynamodb: { send: async () => { throw new Error('store down'); } } as unknown as DynamoDBClient };
    const lazy: WriterDeps = {
      ...deps(async () => undefined),
      settings: { tiers: [{ step: 60, retention: 86_400 }], flushPoints: 2 }, // a window is 2 steps: [T0, T0+120)
      store: async () => { asked += 1; return failing; },
      log: (message) => { logged.push(message); },
    };
    const rec = (id: string, host: string, at: number) => ({ id, data: encodeRecord({ v: 1, hostId: host, points: [{ name: 'cpu', time: at, value: 1 }] }) });
    expect((await processRecords([rec('a', 'lazy-1', T0), rec('b', 'lazy-2', T0)], lazy)).failedIds).toEqual([]);
    expect(asked).toBe(0);
    // The last step of both windows: they are full, so they move (and the move fails: best effort, still acknowledged).
    const outcome = await processRecords([rec('c', 'lazy-1', T0 + 60), rec('d', 'lazy-2', T0 + 60)], lazy);
    expect(outcome.failedIds).toEqual([]);
    expect(asked).toBe(1);
    expect(logged).toEqual(['moving full windows failed: the flusher will move them']);
  });
});
