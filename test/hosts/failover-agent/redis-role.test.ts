import { Logger } from '@aws-lambda-powertools/logger';
import type { Redis } from 'ioredis';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRole, Superseded } from '../../../hosts/failover-agent/redis-role';
import { DURABILITY_KEYS, durableShardWrite } from '../../../common/durable-shard-write';
import { startRedis, type RedisServer } from '../../support/redis-server';

// Replicas save the synced dataset (dump.rdb) in their working directory: give each server its own.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-test-'));
const ownDir = () => ({ extraArgs: ['--dir', fs.mkdtempSync(path.join(dataDir, 'node-'))] });

const log = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const waitFor = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i += 1) { if (await check()) return; await new Promise((r) => setTimeout(r, 50)); }
  throw new Error('condition not reached');
};

// Split brain in miniature: two unrelated masters both acknowledged writes alone; the loser is demoted.
describe('RedisRole against two real Redis servers', () => {
  let winner: RedisServer;
  let loser: RedisServer;
  let toWinner: Redis;
  let toLoser: Redis;
  let role: RedisRole;

  beforeAll(async () => {
    [winner, loser] = await Promise.all([startRedis(ownDir()), startRedis(ownDir())]);
    toWinner = winner.client();
    toLoser = loser.client();
    role = new RedisRole({ host: '127.0.0.1', port: loser.port }, { host: '127.0.0.1', port: winner.port }, log);
  });
  afterAll(async () => { role?.disconnect(); await Promise.all([winner?.stop(), loser?.stop()]); fs.rmSync(dataDir, { recursive: true, force: true }); });

  it('demotion replays what the loser acknowledged alone into the winner, then replicates it', async () => {
    const options = { replicaTimeoutMs: 50 };
    await durableShardWrite(toLoser, (p) => p.hset('series', 'only-on-loser', 'L'), options);
    await durableShardWrite(toWinner, (p) => p.hset('series', 'only-on-winner', 'W'), options);
    await role.demote(() => true);
    // The winner now holds both, and keeps the merged entries in its own journal in case it is demoted next.
    expect(await toWinner.hgetall('series')).toEqual({ 'only-on-loser': 'L', 'only-on-winner': 'W' });
    expect(await toWinner.xlen(DURABILITY_KEYS.journal)).toBe(2);
    await waitFor(async () => (await role.role()).linkUp);
    expect(await role.role()).toMatchObject({ role: 'slave', masterHost: '127.0.0.1', linkUp: true });
    expect(await toLoser.hgetall('series')).toEqual({ 'only-on-loser': 'L', 'only-on-winner': 'W' });
  });

  it('is idempotent: demoting a node that already replicates the peer changes nothing', async () => {
    await role.demote(() => true);
    expect((await role.role()).role).toBe('slave');
  });

  it('promotion makes the node a writable, unfenced master', async () => {
    await role.promote();
    expect((await role.role()).role).toBe('master');
    expect(await toLoser.exists(DURABILITY_KEYS.fence)).toBe(0);
    await toLoser.hset('series', 'after-promotion', '1');
  });

  it('a superseded demotion stops before giving up the local data', async () => {
    await toLoser.hset('series', 'kept', '1');
    await toWinner.call('REPLICAOF', '127.0.0.1', String(loser.port)); // the "peer" is not a master now
    let current = true;
    setTimeout(() => { current = false; }, 300);
    await expect(role.demote(() => current)).rejects.toBeInstanceOf(Superseded);
    expect((await role.role()).role).toBe('master');
    expect(await toLoser.exists(DURABILITY_KEYS.fence)).toBe(1); // still fenced: acknowledges nothing alone
    await toWinner.call('REPLICAOF', 'NO', 'ONE');
  });
});
