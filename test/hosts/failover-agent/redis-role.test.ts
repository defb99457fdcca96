import { Logger } from '@aws-lambda-powertools/logger';
import type { Redis } from 'ioredis';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DemotionUnproven, NotEligible, RedisRole, Superseded } from '../../../hosts/failover-agent/redis-role';
import { EligibilityMarker, ReplicationHistory } from '../../../hosts/failover-agent/node-files';
import { bootstrap } from '../../../hosts/failover-agent/bootstrap';
import { DURABILITY_KEYS, durableShardWrite } from '../../../common/durable-shard-write';
import { startRedis, type RedisServer } from '../../support/redis-server';

// Replicas save the synced dataset (dump.rdb) in their working directory: give each server its own.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-role-'));
const ownDir = () => ({ extraArgs: ['--dir', fs.mkdtempSync(path.join(dataDir, 'node-')), '--enable-debug-command', 'yes'] });
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const log = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const waitFor = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i += 1) { if (await check()) return; await new Promise((r) => setTimeout(r, 50)); }
  throw new Error('condition not reached');
};
const runId = async (redis: Redis) => /run_id:(\w+)/.exec(await redis.info('server'))![1]!;
const acknowledgeAlone = (redis: Redis, field: string) => durableShardWrite(redis, (p) => p.hset('series', field, field), { replicaTimeoutMs: 20 });

interface Node { server: RedisServer; client: Redis; marker: EligibilityMarker; history: ReplicationHistory; role: RedisRole }

/** Two real Redis servers, each with the agent's view of itself (marker, history) and of the other. */
async function pair(): Promise<[Node, Node]> {
  const servers = await Promise.all([startRedis(ownDir()), startRedis(ownDir())]);
  const files = fs.mkdtempSync(path.join(dataDir, 'agent-'));
  const make = (i: 0 | 1): Node => {
    const marker = new EligibilityMarker(path.join(files, `eligible-${i}`));
    const history = new ReplicationHistory(path.join(files, `history-${i}.json`));
    const role = new RedisRole({ host: '127.0.0.1', port: servers[i]!.port }, { host: '127.0.0.1', port: servers[1 - i]!.port }, log, marker, history, 1000);
    return { server: servers[i]!, client: servers[i]!.client(), marker, history, role };
  };
  return [make(0), make(1)];
}

/** `a` as the bootstrapped, leased master with `b` its linked replica (how a pair runs). */
async function running(a: Node, b: Node): Promise<void> {
  a.marker.write(await runId(a.client));
  await a.role.promote();
  await b.role.demote();
  await waitFor(async () => (await b.role.snapshot()).repl.linkUp);
  // The agents' reconcile: b marks itself eligible; a records its replication id, which Redis changed
  // when it created the backlog for its first replica.
  await b.role.refreshEligibility();
  await a.role.refreshEligibility();
}

describe('RedisRole against real Redis pairs', () => {
  let a: Node;
  let b: Node;
  beforeEach(async () => { [a, b] = await pair(); });
  afterEach(async () => { for (const n of [a, b]) n?.role.disconnect(); await Promise.all([a?.server.stop(), b?.server.stop()]); });

  it('never promotes a dataset that did not sync since its Redis started (or was bootstrapped)', async () => {
    await expect(a.role.promote()).rejects.toBeInstanceOf(NotEligible);
    expect((await a.role.snapshot()).leased).toBe(false);
    a.marker.write(await runId(a.client));
    await a.role.promote();
    expect((await a.role.snapshot()).leased).toBe(true);
  });

  it('a replica becomes eligible once its sync from the leased master completed, under its own run_id', async () => {
    expect(b.marker.read()).toBeUndefined();
    await running(a, b);
    expect(b.marker.read()).toBe(await runId(b.client));
    expect(b.history.all()).toContain((await a.role.snapshot()).repl.replid);
  });

  it('a replica that synced from the leased master becomes eligible even once that master was fenced', async () => {
    a.marker.write(await runId(a.client));
    await a.role.promote();
    await b.role.demote();
    await waitFor(async () => (await b.role.snapshot()).repl.linkUp);
    await a.client.del(DURABILITY_KEYS.lease); // a's keepalived died: its agent fenced it before b's reconcile ran
    expect(await b.role.refreshEligibility()).toBe(true);
  });

  it('split brain: the loser proves the shared history, merges its journal once, and only then replicates', async () => {
    await running(a, b);
    const before = await acknowledgeAlone(a.client, 'before'); // replicated (or journalled, under load): either way durable
    // The link breaks: b is promoted (its replid2 is a's history), a keeps acknowledging alone.
    await b.client.call('REPLICAOF', 'NO', 'ONE');
    await b.role.promote();
    expect(await acknowledgeAlone(a.client, 'only-on-a')).toBe('journalled');
    expect(await acknowledgeAlone(b.client, 'only-on-b')).toBe('journalled');
    await a.role.demote();
    expect(await b.client.hgetall('series')).toMatchObject({ before: 'before', 'only-on-a': 'only-on-a', 'only-on-b': 'only-on-b' });
    // Merged once: b's journal holds its own entry and a's (and its copy of a journalled 'before'), a's is empty.
    expect(await b.client.xlen(DURABILITY_KEYS.journal)).toBe(before === 'journalled' ? 3 : 2);
    await waitFor(async () => (await a.role.snapshot()).repl.linkUp);
    expect(await a.client.hget('series', 'only-on-a')).toBe('only-on-a');
    // The confirmed entries leave b's journal once a (its replica now) confirmed them.
    expect(await b.role.trimConfirmedJournal(1000)).toBe(0);
  });

  it('a retried demotion never merges an entry twice (merged entries leave the local journal)', async () => {
    await running(a, b);
    await b.client.call('REPLICAOF', 'NO', 'ONE');
    await b.role.promote();
    await acknowledgeAlone(a.client, 'once');
    // The merge step of two demotion attempts (the first superseded before its REPLICAOF).
    const merge = (a.role as unknown as { mergeJournal(peerRunId: string, ours: string[]): Promise<number> }).mergeJournal.bind(a.role);
    const ours = [await runId(a.client)];
    expect(await merge(await runId(b.client), ours)).toBe(1);
    expect(await merge(await runId(b.client), ours)).toBe(0);
    expect(await b.client.xlen(DURABILITY_KEYS.journal)).toBe(1);
    expect(await b.client.hget('series', 'once')).toBe('once');
  });

  it('never merges an entry the peer already received by replication (the journal would double)', async () => {
    await running(a, b);
    // An entry a acknowledged alone while b was still linked (its WAIT timed out): it replicated to b.
    await a.client.hset('series', 'replicated', '1');
    await a.client.xadd(DURABILITY_KEYS.journal, '*', 'c', JSON.stringify([['hset', 'series', 'replicated', '1']]), 'r', await runId(a.client));
    await waitFor(async () => (await b.client.xlen(DURABILITY_KEYS.journal)) === 1);
    await b.client.call('REPLICAOF', 'NO', 'ONE');
    await b.role.promote();
    expect(await a.role.demote()).toBe('demoted');
    expect(await b.client.xlen(DURABILITY_KEYS.journal)).toBe(1);
  });

  it('merges an entry whose stream id the peer also used for an entry of its own (one clock, two journals)', async () => {
    await running(a, b);
    await b.client.call('REPLICAOF', 'NO', 'ONE');
    await b.role.promote();
    // Both nodes journal in the same millisecond after the split: their streams continue from the same
    // last id (b's is a's, replicated), so the two entries get the same id with different writes.
    const id = `${Date.now() + 60_000}-0`;
    await a.client.hset('series', 'only-on-a', '1');
    await a.client.xadd(DURABILITY_KEYS.journal, id, 'c', JSON.stringify([['hset', 'series', 'only-on-a', '1']]), 'r', await runId(a.client));
    await b.client.hset('series', 'only-on-b', '1');
    await b.client.xadd(DURABILITY_KEYS.journal, id, 'c', JSON.stringify([['hset', 'series', 'only-on-b', '1']]), 'r', await runId(b.client));
    expect(await a.role.demote()).toBe('demoted');
    expect(await b.client.hgetall('series')).toMatchObject({ 'only-on-a': '1', 'only-on-b': '1' });
  });

  it('a replica never syncs from its master\'s Redis once that restarted empty (a new process the agent has not leased)', async () => {
    await running(a, b);
    expect(await durableShardWrite(a.client, (p) => p.hset('series', 'confirmed', 'confirmed'), { replicaTimeoutMs: 2000 })).toBe('replicated');
    const { port } = a.server;
    await a.server.stop();
    a.server = await startRedis({ port, ...ownDir() });
    a.client = a.server.client();
    await new Promise((r) => setTimeout(r, 2500)); // a replica retries its link every second
    expect(await b.client.hget('series', 'confirmed')).toBe('confirmed');
    expect((await b.role.snapshot()).repl.linkUp).toBe(false);
    // Once b is promoted (it is eligible), the restarted a demotes to it and syncs back what it lost.
    await b.client.call('REPLICAOF', 'NO', 'ONE');
    await b.role.promote();
    expect(await a.role.demote()).toBe('demoted');
    await waitFor(async () => (await a.client.hget('series', 'confirmed')) === 'confirmed');
  });

  it('a fenced master serves no new sync; a replica of an agent without the replication user still syncs', async () => {
    await running(a, b);
    await a.client.del(DURABILITY_KEYS.lease);
    await a.role.demote(AbortSignal.timeout(300)).catch(() => undefined); // fences, then waits for b (never leased here)
    await b.client.call('CLIENT', 'KILL', 'TYPE', 'master'); // b's link drops and reconnects
    await new Promise((r) => setTimeout(r, 1500));
    expect((await b.role.snapshot()).repl.linkUp).toBe(false);
    // A leased master whose agent predates the replication user (a rolling deploy): the default user.
    await a.client.call('ACL', 'DELUSER', 'replicator');
    await a.client.set(DURABILITY_KEYS.lease, await runId(a.client));
    await b.client.call('REPLICAOF', 'NO', 'ONE');
    expect(await b.role.demote()).toBe('demoted');
    await waitFor(async () => (await b.role.snapshot()).repl.linkUp);
    // Once the new agent runs there, its reconcile gives the leased master the user.
    await a.role.refreshEligibility();
    expect(await a.client.call('ACL', 'GETUSER', 'replicator')).not.toBeNull();
  });

  it('never merges into a peer that lost its lease meanwhile', async () => {
    await running(a, b);
    await b.client.call('REPLICAOF', 'NO', 'ONE');
    await b.role.promote();
    await acknowledgeAlone(a.client, 'kept-here');
    const merge = (a.role as unknown as { mergeJournal(peerRunId: string, ours: string[]): Promise<number> }).mergeJournal.bind(a.role);
    await b.client.del(DURABILITY_KEYS.lease); // b is being demoted itself
    await expect(merge(await runId(b.client), [await runId(a.client)])).rejects.toThrow(/lost its lease/);
    expect(await a.client.xlen(DURABILITY_KEYS.journal)).toBe(1);
    expect(await b.client.hget('series', 'kept-here')).toBeNull();
  });

  it('never merges a replica\'s copy of its master\'s journal back into that master', async () => {
    a.marker.write(await runId(a.client));
    await a.role.promote();
    expect(await acknowledgeAlone(a.client, 'a-alone')).toBe('journalled');
    await b.role.demote(); // b syncs a's dataset, a's journal included
    await waitFor(async () => (await b.client.xlen(DURABILITY_KEYS.journal)) === 1);
    await b.role.refreshEligibility();
    // b's Redis "restarts" (master role, its own history, no lease) and demotes to the leased a again.
    await b.client.call('REPLICAOF', 'NO', 'ONE');
    await b.client.call('DEBUG', 'CHANGE-REPL-ID');
    expect(await b.role.demote()).toBe('demoted');
    expect(await a.client.xlen(DURABILITY_KEYS.journal)).toBe(1);
  });

  it('stays fenced, keeping its data, when the peer\'s history does not continue its own', async () => {
    // Two unrelated leased masters (b was bootstrapped by mistake instead of syncing from a).
    a.marker.write(await runId(a.client));
    b.marker.write(await runId(b.client));
    await a.role.promote();
    await b.role.promote();
    await acknowledgeAlone(a.client, 'only-on-a');
    await expect(a.role.demote()).rejects.toBeInstanceOf(DemotionUnproven);
    const after = await a.role.snapshot();
    expect(after.repl.role).toBe('master');
    expect(after.leased).toBe(false); // fenced: acknowledges nothing alone
    expect(await a.client.hget('series', 'only-on-a')).toBe('only-on-a');
    expect(await a.client.xlen(DURABILITY_KEYS.journal)).toBe(1);
    await expect(acknowledgeAlone(a.client, 'refused')).rejects.toThrow(/no lease/);
  });

  it('proves the history of a restarted Redis through the agent\'s history file', async () => {
    await running(a, b);
    const served = (await a.role.snapshot()).repl.replid;
    await acknowledgeAlone(a.client, 'kept');
    // b takes over; a's Redis "restarts" with its data (a restart gives it a new replication id and no
    // replid2): only the agent's history file still knows the id a's data was served under.
    await b.client.call('REPLICAOF', 'NO', 'ONE');
    await b.role.promote();
    await a.client.call('DEBUG', 'CHANGE-REPL-ID');
    const restarted = await a.role.snapshot();
    expect(restarted.repl.replid).not.toBe(served);
    expect(a.history.all()).toContain(served);
    await a.role.demote();
    await waitFor(async () => (await a.role.snapshot()).repl.linkUp);
    expect(await b.client.hget('series', 'kept')).toBe('kept');
  });

  it('an empty node demotes without proof (nothing to lose), but only to a leased master', async () => {
    // b is not leased: a waits (until superseded), never replicating a node that is only a candidate.
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    await expect(a.role.demote(controller.signal)).rejects.toBeInstanceOf(Superseded);
    expect((await a.role.snapshot()).repl.role).toBe('master');
    b.marker.write(await runId(b.client));
    await b.role.promote();
    await b.client.hset('series', 'x', '1');
    expect(await a.role.demote()).toBe('demoted');
    await waitFor(async () => (await a.client.hget('series', 'x')) === '1');
  });

  it('the operator\'s bootstrap: an empty node at once, a node with data only with --force, never beside a leased master', async () => {
    expect(await bootstrap(a.role, a.marker, { force: false })).toMatch(/^bootstrapped: .* \(0 keys/);
    expect(a.marker.read()).toBe(await runId(a.client));
    await b.client.set('k', 'v');
    await expect(bootstrap(b.role, b.marker, { force: false })).rejects.toThrow(/holds 1 keys: .*--force/);
    expect(b.marker.read()).toBeUndefined();
    await a.role.promote();
    await expect(bootstrap(b.role, b.marker, { force: true })).rejects.toThrow(/the peer is the shard's leased master/);
    expect(b.marker.read()).toBeUndefined();
  });

  it('keeps journal entries no replica confirmed', async () => {
    a.marker.write(await runId(a.client));
    await a.role.promote();
    await acknowledgeAlone(a.client, 'alone');
    expect(await a.role.trimConfirmedJournal(100)).toBe(1);
  });
});
