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
  // What the failover agent does on promotion: the lease names this Redis process.
  const lease = async (redis: Redis) => redis.set(DURABILITY_KEYS.lease, /run_id:(\w+)/.exec(await redis.info('server'))![1]!);

  // WAIT returns as soon as the replica confirms: a long timeout costs nothing on the replicated path
  // and keeps a loaded machine from turning it into the journal path.
  const write = (redis: Redis, field: string, replicaTimeoutMs = 100) => durableShardWrite(redis, (p) => p.hset('series', field, '1'), { replicaTimeoutMs });

  it('acknowledges a write the standby confirmed, without journalling it', async () => {
    expect(await write(toMaster, 't1', 5000)).toBe('replicated');
    expect(await toReplica.hget('series', 't1')).toBe('1');
    expect(await toMaster.exists(DURABILITY_KEYS.journal)).toBe(0);
  });

  it('with no standby, the leased master journals the commands and acknowledges (degraded path)', async () => {
    await lease(toLonely);
    expect(await write(toLonely, 't2')).toBe('journalled');
    expect(await toLonely.hget('series', 't2')).toBe('1');
    const entries = await toLonely.xrange(DURABILITY_KEYS.journal, '-', '+');
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]![1][1]!)).toEqual([['hset', 'series', 't2', '1']]);
  });

  it('refuses to acknowledge alone without the lease: fenced for demotion, never promoted, or restarted', async () => {
    // No lease at all (a Redis that just started, or one the agent fenced by deleting it).
    await expect(write(toLonely, 't3')).rejects.toThrow(/holds no lease/);
    // A lease naming another process: a promoted replica still carrying its old master's, or one from before a restart.
    await toLonely.set(DURABILITY_KEYS.lease, 'f'.repeat(40));
    await expect(write(toLonely, 't3')).rejects.toBeInstanceOf(DurabilityError);
    expect(await toLonely.exists(DURABILITY_KEYS.journal)).toBe(0);
  });

  it('keeps journal entries however old they are (only a replica\'s confirmation removes them)', async () => {
    await lease(toLonely);
    await toLonely.xadd(DURABILITY_KEYS.journal, '1-1', 'c', '[]'); // an entry from 1970
    await write(toLonely, 'a');
    await write(toLonely, 'b');
    expect(await toLonely.xlen(DURABILITY_KEYS.journal)).toBe(3);
  });

  it('does not report durable when the connection changed between the pipeline and its WAIT', async () => {
    // The writes land on one connection; the WAIT is answered on another (ioredis resends unanswered
    // commands after a reconnect): a WAIT on the new connection says nothing about the writes.
    const writer = master.client();
    await writer.ping();
    replica.child.kill('SIGSTOP'); // no replica acknowledgement: the WAIT blocks
    try {
      const id = await writer.client('ID');
      const outcome = durableShardWrite(writer, (p) => p.hset('series', 'reconnect', '1'), { replicaTimeoutMs: 3000 })
        .then((path) => `durable (${path})`, (error: Error) => error);
      await new Promise((r) => setTimeout(r, 200));
      await toMaster.client('KILL', 'ID', String(id));
      await new Promise((r) => setTimeout(r, 300));
      replica.child.kill('SIGCONT');
      const result = await outcome;
      expect(result).toBeInstanceOf(DurabilityError);
      expect(String(result)).toMatch(/connection changed|connection close/);
    } finally {
      replica.child.kill('SIGCONT');
    }
  });

  it('refuses on a replica (read-only): the writes never land', async () => {
    await expect(write(toReplica, 't4')).rejects.toThrow(/pipeline failed: .*READONLY/);
  });
});
