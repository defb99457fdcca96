import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveKey } from '../../../lambda/tsdb/archive-keys';
import { exportExpiredItem } from '../../../lambda/tsdb/exporter-core';
import { flushIdleWindows } from '../../../lambda/tsdb/flusher-core';
import { readSeries, type ReaderDeps } from '../../../lambda/tsdb/read-path';
import { encodeRecord, type MetricRecordV1 } from '../../../lambda/tsdb/record';
import { HashRing } from '../../../lambda/tsdb/ring';
import { processRecords, type InputRecord, type Rejection, type WriterDeps } from '../../../lambda/tsdb/writer-core';
import { startDynalite, startKinesalite } from '../../support/aws-local';
import { startRedis, waitForReplica, type RedisServer } from '../../support/redis-server';
import { startS3StandIn, type StoredObject } from '../../support/s3-standin';

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z, aligned to every window below
const settings = { tiers: [{ step: 60, retention: 86_400 }, { step: 300, retention: 604_800 }], flushPoints: 5 };
const TABLE = 'series';
const BUCKET = 'archive';
const VIPS = ['shard-a', 'shard-b'];

let servers: RedisServer[] = [];
let shards: Redis[] = [];
let ring: HashRing;
let dynamodb: DynamoDBClient;
let kinesis: KinesisClient;
let s3: S3Client;
let objects: Map<string, StoredObject>;
const closers: Array<() => Promise<void>> = [];
const rejectedSent: Rejection[] = [];

function writerDeps(overrides: Partial<WriterDeps> = {}): WriterDeps {
  return {
    ring, shards, settings, replicaTimeoutMs: 1000,
    store: { dynamodb, tableName: TABLE },
    reject: async (r) => { rejectedSent.push(...r); },
    ...overrides,
  };
}

function readerDeps(nowS: number): ReaderDeps {
  return { ring, shards, settings, store: { dynamodb, tableName: TABLE }, s3: async () => s3, bucket: BUCKET, now: () => nowS * 1000 };
}

/** Host h, metric m at minute i: a value that differs everywhere, so a misplaced point shows. */
const valueOf = (h: number, m: number, i: number) => h * 1000 + m * 100 + i + 0.25;

function hostRecord(h: number, minute: number): MetricRecordV1 {
  // Points 7 s after the minute: the writer must align them down.
  return { v: 1, hostId: `host-${h}`, points: [0, 1].map((m) => ({ name: `cpu.m${m}`, time: T0 + minute * 60 + 7, value: valueOf(h, m, minute) })) };
}

/** Puts records on kinesalite and reads them back as the Lambda event source would deliver them. */
async function throughKinesis(stream: string, records: Buffer[]): Promise<InputRecord[]> {
  await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: records.map((data, i) => ({ Data: data, PartitionKey: `pk-${i % 3}` })) }));
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: stream }));
  const out: InputRecord[] = [];
  for (const shard of Shards ?? []) {
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    for (const r of Records ?? []) out.push({ id: r.SequenceNumber!, partitionKey: r.PartitionKey, data: r.Data! });
  }
  return out;
}

async function scanTable(): Promise<Array<Record<string, AttributeValue>>> {
  return (await dynamodb.send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
}

function ttlDeletion(item: Record<string, AttributeValue>, userIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' }): DynamoDBRecord {
  return { eventName: 'REMOVE', userIdentity, dynamodb: { OldImage: item as never } } as DynamoDBRecord;
}

beforeAll(async () => {
  const primaries = await Promise.all(VIPS.map(() => startRedis()));
  const replicas = await Promise.all(primaries.map((p) => startRedis({ replicaOf: p.port })));
  servers = [...primaries, ...replicas];
  shards = primaries.map((p) => p.client());
  await Promise.all(shards.map(waitForReplica));
  ring = new HashRing(VIPS);
  const [dyn, kin, s3s] = await Promise.all([startDynalite(), startKinesalite(), startS3StandIn()]);
  closers.push(dyn.close, kin.close, s3s.close);
  dynamodb = new DynamoDBClient(dyn.clientConfig);
  kinesis = new KinesisClient(kin.clientConfig);
  s3 = new S3Client(s3s.clientConfig);
  objects = s3s.objects;
  await dynamodb.send(new CreateTableCommand({
    TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'series', AttributeType: 'S' }, { AttributeName: 'window', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'series', KeyType: 'HASH' }, { AttributeName: 'window', KeyType: 'RANGE' }],
  }));
  await kinesis.send(new CreateStreamCommand({ StreamName: 'metrics', ShardCount: 2 }));
  await new Promise((r) => setTimeout(r, 50));
});

afterAll(async () => {
  for (const c of [dynamodb, kinesis, s3]) c?.destroy();
  await Promise.all(servers.map((s) => s.stop()));
  await Promise.all(closers.map((close) => close()));
});

describe('TSDB pipeline against real servers', () => {
  const HOSTS = 3;
  const MINUTES = 12; // two full windows of 5 steps, plus two points of a third
  const expected = (h: number, m: number) => Array.from({ length: MINUTES }, (_, i) => [T0 + i * 60, valueOf(h, m, i)]);
  let input: InputRecord[];

  it('writes Kinesis records to the Redis shards, moves full windows, rejects only the bad record', async () => {
    const good = Array.from({ length: MINUTES }, (_, minute) => Array.from({ length: HOSTS }, (_, h) => encodeRecord(hostRecord(h, minute)))).flat();
    const bad = Buffer.from(JSON.stringify({ v: 1, hostId: 'host-0', points: [{ name: 'cpu.m0', time: T0, value: 'NaN' }] }));
    input = await throughKinesis('metrics', [...good.slice(0, 5), bad, ...good.slice(5)]);
    expect(input).toHaveLength(good.length + 1);

    const outcome = await processRecords(input, writerDeps());
    expect(outcome.failedIds).toEqual([]);
    expect(outcome.points).toBe(HOSTS * 2 * MINUTES);
    expect(outcome.rejected).toHaveLength(1);
    expect(outcome.rejected[0]!.reason).toMatch(/points\[0\]\.value must be a finite number/);
    expect(rejectedSent.map((r) => r.id)).toEqual([outcome.rejected[0]!.id]);
    // 6 series x 2 full windows moved by the writer itself.
    expect(outcome.movedWindows).toBe(HOSTS * 2 * 2);

    // Every series sits on the shard the ring names, and only its open window is left in Redis.
    for (let h = 0; h < HOSTS; h++) {
      for (const m of [0, 1]) {
        const series = `host-${h}/cpu.m${m}`;
        const own = shards[ring.shardOf(series)]!;
        const other = shards[1 - ring.shardOf(series)]!;
        expect(await own.hgetall(`ts:${series}@${T0 + 600}`)).toEqual({ [T0 + 600]: String(valueOf(h, m, 10)), [T0 + 660]: String(valueOf(h, m, 11)) });
        expect(await other.exists(`ts:${series}@${T0 + 600}`)).toBe(0);
        expect(await own.exists(`ts:${series}@${T0}`)).toBe(0);
      }
    }
    const raw = (await scanTable()).filter((i) => i.window!.S!.endsWith(':60'));
    expect(raw).toHaveLength(HOSTS * 2 * 2);
    const item = raw.find((i) => i.series!.S === 'host-1/cpu.m0' && i.window!.S === `${T0 + 300}:60`)!;
    expect(Object.keys(item.points!.M!).sort()).toEqual([5, 6, 7, 8, 9].map((i) => String(T0 + i * 60)));
    expect(Number(item.expiresAt!.N)).toBe(T0 + 600 + 86_400);
  });

  it('is idempotent: replaying the same batch changes nothing', async () => {
    const before = JSON.stringify((await scanTable()).sort((a, b) => (a.series!.S! + a.window!.S!).localeCompare(b.series!.S! + b.window!.S!)));
    const outcome = await processRecords(input, writerDeps());
    expect(outcome.failedIds).toEqual([]);
    const after = JSON.stringify((await scanTable()).sort((a, b) => (a.series!.S! + a.window!.S!).localeCompare(b.series!.S! + b.window!.S!)));
    expect(after).toBe(before);
  });

  it('flushes idle windows to DynamoDB and empties Redis', async () => {
    // The open window [T0+600, T0+900) may still get points until it ended idleMs ago.
    const early = await flushIdleWindows({ shards, store: { dynamodb, tableName: TABLE }, settings, idleMs: 60_000, maxWindowsPerShard: 100, now: () => (T0 + 900 + 59) * 1000 });
    expect(early.moved).toBe(0);
    const outcome = await flushIdleWindows({ shards, store: { dynamodb, tableName: TABLE }, settings, idleMs: 60_000, maxWindowsPerShard: 100, now: () => (T0 + 900 + 60) * 1000 });
    expect(outcome).toEqual({ moved: HOSTS * 2, points: HOSTS * 2 * 2, failed: 0 });
    for (const shard of shards) expect(await shard.keys('ts:*')).toEqual([]);
  });

  it('reads every point back through the read path (raw tier and 5-minute rollups)', async () => {
    const series = Array.from({ length: HOSTS }, (_, h) => [0, 1].map((m) => `host-${h}/cpu.m${m}`)).flat();
    const raw = await readSeries({ series, from: T0, to: T0 + MINUTES * 60 }, readerDeps(T0 + 3600));
    raw.forEach((s, i) => expect(s.points).toEqual(expected(Math.floor(i / 2), i % 2)));
    const rolled = await readSeries({ series: ['host-2/cpu.m1'], from: T0, to: T0 + 900, step: 300 }, readerDeps(T0 + 3600));
    const avg = (from: number, n: number) => Array.from({ length: n }, (_, k) => valueOf(2, 1, from + k)).reduce((a, b) => a + b) / n;
    expect(rolled[0]!.points).toEqual([[T0, avg(0, 5)], [T0 + 300, avg(5, 5)], [T0 + 600, avg(10, 2)]]);
  });

  it('exports TTL deletions to S3 (Gorilla, date-partitioned) and reads them back from the archive', async () => {
    const items = await scanTable();
    // A user's delete is not an expiry: no object.
    expect(await exportExpiredItem(ttlDeletion(items[0]!, { type: 'User', principalId: 'someone' }), { s3, bucket: BUCKET, settings })).toBeUndefined();
    for (const item of items) {
      const out = await exportExpiredItem(ttlDeletion(item), { s3, bucket: BUCKET, settings, kmsKeyId: 'arn:aws:kms:ap-northeast-1:111111111111:key/test' });
      expect(out?.key).toBe(archiveKey(item.series!.S!, Number(item.window!.S!.split(':')[1]), Number(item.window!.S!.split(':')[0])));
      await dynamodb.send(new DeleteItemCommand({ TableName: TABLE, Key: { series: item.series!, window: item.window! } }));
    }
    expect(objects.size).toBe(items.length);
    const sample = objects.get(`${BUCKET}/v1/step=60/date=2026-01-01/host-0/cpu.m1/${T0}.gorilla`)!;
    expect(sample.headers['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(sample.body.length).toBeLessThan(5 * 16); // smaller than the raw points

    // A week later every window is past its DynamoDB retention: the read path goes to S3.
    const nowS = T0 + 8 * 86_400;
    const series = Array.from({ length: HOSTS }, (_, h) => [0, 1].map((m) => `host-${h}/cpu.m${m}`)).flat();
    const raw = await readSeries({ series, from: T0, to: T0 + MINUTES * 60 }, readerDeps(nowS));
    raw.forEach((s, i) => expect(s.points).toEqual(expected(Math.floor(i / 2), i % 2)));
  });

  it('prefers Redis over DynamoDB, and DynamoDB over S3, where they overlap', async () => {
    const series = 'host-9/overlap';
    const at = T0 + 86_400 * 2; // a window start (multiple of 300 s)
    const deps = writerDeps();
    // S3 holds 1,1,1; DynamoDB (via a flushed write) 2,2 for the first two steps; Redis 3 for the first.
    await exportExpiredItem(ttlDeletion({ series: { S: series }, window: { S: `${at}:60` }, points: { M: { [at]: { N: '1' }, [at + 60]: { N: '1' }, [at + 120]: { N: '1' } } } }), { s3, bucket: BUCKET, settings });
    const rec = (points: Array<[number, number]>) => ({ id: `x${points.length}`, data: encodeRecord({ v: 1, hostId: 'host-9', points: points.map(([time, value]) => ({ name: 'overlap', time, value })) }) });
    await processRecords([rec([[at, 2], [at + 60, 2]])], deps);
    await flushIdleWindows({ shards, store: { dynamodb, tableName: TABLE }, settings, idleMs: 0, maxWindowsPerShard: 100, now: () => (at + 300) * 1000 });
    await processRecords([rec([[at, 3]])], deps);
    // Fresh window: Redis and DynamoDB are asked (S3 only holds expired windows), Redis wins.
    let archiveAsked = 0;
    const [fresh] = await readSeries({ series: [series], from: at, to: at + 300 }, { ...readerDeps(at + 400), s3: async () => { archiveAsked += 1; return s3; } });
    expect(fresh!.points).toEqual([[at, 3], [at + 60, 2]]);
    expect(archiveAsked).toBe(0); // the S3 client is only created for reads that reach the archive
    // Just past its retention, before DynamoDB's TTL sweep deleted it: DynamoDB and S3 both hold it, DynamoDB wins.
    const [expired] = await readSeries({ series: [series], from: at, to: at + 300 }, readerDeps(at + 300 + 86_400 + 10));
    expect(expired!.points).toEqual([[at, 2], [at + 60, 2], [at + 120, 1]]);
  });

  it('fails exactly the records of a shard whose writes are not confirmed, and acknowledges the rest', async () => {
    const lonely = await startRedis(); // no replica: WAIT can never be satisfied
    servers.push(lonely);
    const lonelyClient = lonely.client();
    // A lone master acknowledges alone only under the failover agent's lease (its own run_id); this one has none.
    const deps = writerDeps({ shards: [shards[0]!, lonelyClient], replicaTimeoutMs: 50 });
    const records = Array.from({ length: 20 }, (_, h) => ({ id: `seq-${h}`, data: encodeRecord({ v: 1, hostId: `iso-${h}`, points: [{ name: 'x', time: T0, value: h }] }) }));
    const outcome = await processRecords(records, deps);
    const onFailedShard = records.filter((_, h) => ring.shardOf(`iso-${h}/x`) === 1).map((r) => r.id);
    expect(onFailedShard.length).toBeGreaterThan(0);
    expect(onFailedShard.length).toBeLessThan(records.length);
    expect(outcome.failedShards).toEqual([1]);
    expect(outcome.failedIds).toEqual(onFailedShard);
  });
});
