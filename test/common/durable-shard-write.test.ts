import type { Redis } from 'ioredis';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DURABILITY_KEYS, durableShardWrite, DurabilityError, recordCommands } from '../../common/durable-shard-write';
import { startRedis, type RedisServer } from '../support/redis-server';

// Replicas save the synced dataset (dump.rdb) in their working directory: give each server its own.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-test-'));
const ownDir = () => ({ extraArgs: ['--dir', fs.mkdtempSync(path.join(dataDir, 'node-'))] });

describe('recordCommands', () => {
  it('captures the queued commands with object and map arguments flattened', () => {
    const commands = recordCommands((p) => {
      p.hset('k', { a: '1', b: 2 });
      p.hset('m', new Map([['x', 'y']]));
      p.expire('k', 60);
    });
    expect(commands).toEqual([['hset', 'k', 'a', '1', 'b', 2], ['hset', 'm', 'x', 'y'], ['expire', 'k', 60]]);
  });
});

describe('durableShardWrite against real Redis', () => {
  let master: RedisServer;
  let lonely: RedisServer;
  let replica: RedisServer;
  let toMaster: Redis;
  let toLonely: Redis;
  let toReplica: Redis;

  beforeAll(async () => {
    master = await startRedis(ownDir());
    replica = await startRedis({ replicaOf: master.port, ...ownDir() });
    lonely = await startRedis(ownDir());
    toMaster = master.client();
    toLonely = lonely.client();
    toReplica = replica.client();
    for (let i = 0; i < 100 && !/master_link_status:up/.test(await toReplica.info('replication')); i += 1) await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(async () => { await Promise.all([master?.stop(), replica?.stop(), lonely?.stop()]); fs.rmSync(dataDir, { recursive: true, force: true }); });
  beforeEach(async () => { await toLonely.flushall(); });

  // WAIT returns as soon as the replica confirms: a long timeout costs nothing on the replicated path
  // and keeps a loaded machine from turning it into the journal path.
  const write = (redis: Redis, field: string, replicaTimeoutMs = 100) => durableShardWrite(redis, (p) => p.hset('series', field, '1'), { replicaTimeoutMs });

  it('acknowledges a write the standby confirmed, without journalling it', async () => {
    await write(toMaster, 't1', 5000);
    expect(await toReplica.hget('series', 't1')).toBe('1');
    expect(await toMaster.exists(DURABILITY_KEYS.journal)).toBe(0);
  });

  it('with no standby, journals the commands and acknowledges (degraded path)', async () => {
    await write(toLonely, 't2');
    expect(await toLonely.hget('series', 't2')).toBe('1');
    const entries = await toLonely.xrange(DURABILITY_KEYS.journal, '-', '+');
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]![1][1]!)).toEqual([['hset', 'series', 't2', '1']]);
  });

  it('refuses to acknowledge alone once the node is fenced for demotion', async () => {
    await toLonely.set(DURABILITY_KEYS.fence, '1');
    await expect(write(toLonely, 't3')).rejects.toBeInstanceOf(DurabilityError);
    expect(await toLonely.exists(DURABILITY_KEYS.journal)).toBe(0);
  });

  it('refuses on a replica (read-only): the writes never land', async () => {
    await expect(write(toReplica, 't4')).rejects.toThrow(/pipeline failed: .*READONLY/);
  });
});
