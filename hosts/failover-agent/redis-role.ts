import type { Logger } from '@aws-lambda-powertools/logger';
import { Redis } from 'ioredis';
import { DURABILITY_KEYS, type RecordedCommand } from '../../common/durable-shard-write';
import { DeadlineExceeded, pause, Superseded, withDeadline } from './deadline';
import type { EligibilityMarker, ReplicationHistory } from './node-files';
import { parseReplicationInfo, parseRunId, sharedHistory, type ReplicationInfo } from './replication';

export { Superseded } from './deadline';

export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
  readonly password?: string;
}

/** keepalived said MASTER but the local dataset is not known to be complete: never promoted. */
export class NotEligible extends Error {
  override readonly name = 'NotEligible';
}

/** Demotion could not prove the peer holds what this node acknowledged: the node stays fenced, data kept. */
export class DemotionUnproven extends Error {
  override readonly name = 'DemotionUnproven';
}

/** Written by the agent before its journal-confirming WAIT (WAIT covers the caller's own writes). */
const JOURNAL_MARK = '{monsaas}:journal-mark';
const PROTOCOL_KEYS = [DURABILITY_KEYS.lease, DURABILITY_KEYS.journal, JOURNAL_MARK];
/**
 * Replicas sync as this ACL user, which only the leased master's agent enables. A Redis process that
 * restarted (empty, or with an AOF that lost its last second) does not have it, so its old replica
 * keeps its data instead of full-syncing the loss away, and stays eligible to take over.
 */
export const REPLICATION_USER = 'replicator';
/** The replication user's password when the pair has none (tests): the gate works either way. */
const NO_PASSWORD_SECRET = 'monsaas-replication';
const REPLAY_BATCH = 100;

export interface NodeSnapshot {
  readonly repl: ReplicationInfo;
  readonly runId: string;
  /** This process holds the lease (may acknowledge alone). */
  readonly leased: boolean;
}

function connect(endpoint: RedisEndpoint, commandTimeoutMs: number): Redis {
  const client = new Redis({
    host: endpoint.host, port: endpoint.port, password: endpoint.password,
    lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1000, commandTimeout: commandTimeoutMs,
    retryStrategy: () => 200, enableOfflineQueue: true,
  });
  client.on('error', () => undefined); // every call's own rejection is what the agent acts on
  return client;
}

/** "1700000000000-3" -> "1700000000000-4": XTRIM MINID keeps ids >= this, so everything up to `id` goes. */
export function nextStreamId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${Number(seq) + 1}`;
}

/**
 * The local Redis's replication role, driven by keepalived's state, under the durability contract of
 * common/durable-shard-write.ts. Every call has a deadline (`callTimeoutMs`); long waits give up as
 * soon as the caller's signal says a newer state superseded them.
 */
export class RedisRole {
  readonly local: Redis;
  /** The peer Redis process this node last chose to replicate, while it was the leased master. */
  private syncedFrom?: string;

  constructor(
    local: RedisEndpoint,
    private readonly peerEndpoint: RedisEndpoint,
    private readonly log: Logger,
    private readonly marker: EligibilityMarker,
    private readonly history: ReplicationHistory,
    private readonly callTimeoutMs = 2000,
  ) {
    this.local = connect(local, callTimeoutMs);
  }

  /**
   * A fresh connection to the peer for each use: a long-lived one can sit in TCP retransmission
   * back-off for seconds after a partition heals, which is exactly when the agent needs the peer.
   */
  private peerClient(): Redis {
    const client = new Redis({
      host: this.peerEndpoint.host, port: this.peerEndpoint.port, password: this.peerEndpoint.password,
      lazyConnect: true, connectTimeout: 1000, commandTimeout: this.callTimeoutMs, maxRetriesPerRequest: 0,
      retryStrategy: () => null, enableOfflineQueue: true,
    });
    client.on('error', () => undefined);
    return client;
  }

  /** The peer's replication state (role, lease), on a connection of its own. */
  async peerSnapshot(signal?: AbortSignal): Promise<NodeSnapshot> {
    const client = this.peerClient();
    try { return await this.snapshot(client, signal); } finally { client.disconnect(); }
  }

  /**
   * One Redis call with a deadline. A call that times out leaves its connection suspect (after a
   * partition the socket can sit in TCP retransmission back-off for many seconds): reconnect, so the
   * next call does not queue behind it.
   */
  private async call<T>(work: Promise<T>, what: string, signal?: AbortSignal, client?: Redis): Promise<T> {
    try {
      return await withDeadline(work, this.callTimeoutMs + 500, what, signal);
    } catch (error) {
      if (client && (error instanceof DeadlineExceeded || /timed out/i.test((error as Error).message))) client.disconnect(true);
      throw error;
    }
  }

  async snapshot(client: Redis = this.local, signal?: AbortSignal): Promise<NodeSnapshot> {
    const results = await this.call(client.pipeline().info('server').info('replication').get(DURABILITY_KEYS.lease).exec(), 'INFO', signal, client);
    const failed = (results ?? []).find(([error]) => error);
    if (!results || failed) throw new Error(`INFO failed: ${String(failed?.[0] ?? 'no reply')}`);
    const runId = parseRunId(String(results[0]![1]));
    if (!runId) throw new Error('INFO server has no run_id');
    return { repl: parseReplicationInfo(String(results[1]![1])), runId, leased: results[2]![1] === runId };
  }

  /** Local dataset may become MASTER: the marker names the live Redis process. */
  eligible(snapshot: NodeSnapshot): boolean {
    return this.marker.read() === snapshot.runId;
  }

  /** keys other than the protocol's own: 0 means there is nothing this node could lose. */
  async dataKeys(signal?: AbortSignal): Promise<number> {
    const results = await this.call(this.local.pipeline().dbsize().exists(...PROTOCOL_KEYS).exec(), 'DBSIZE', signal, this.local);
    return Number(results?.[0]?.[1] ?? 0) - Number(results?.[1]?.[1] ?? 0);
  }

  async journalLength(client: Redis = this.local): Promise<number> {
    return this.call(client.xlen(DURABILITY_KEYS.journal), 'XLEN');
  }

  /** Makes the local Redis the leased master. Refuses (NotEligible) unless its dataset is eligible. */
  async promote(signal?: AbortSignal): Promise<void> {
    const before = await this.snapshot(this.local, signal);
    if (!this.eligible(before)) throw new NotEligible(`local Redis ${before.runId} has not completed a sync since it started (and was not bootstrapped)`);
    if (before.repl.role !== 'master') await this.call(this.local.call('REPLICAOF', 'NO', 'ONE'), 'REPLICAOF NO ONE', signal, this.local);
    await this.call(this.local.set(DURABILITY_KEYS.lease, before.runId), 'SET lease', signal, this.local);
    await this.serveSyncs(signal);
    const after = await this.snapshot(this.local, signal);
    this.history.record(after.repl.replid, after.runId);
  }

  /**
   * Demotes the local Redis to a replica of the peer without discarding anything it acknowledged:
   * fence (drop the lease), wait until the peer is the leased master, prove its history continues
   * ours, merge our journal into it (once), and only then REPLICAOF. Throws DemotionUnproven when the
   * proof fails: the node stays fenced and keeps its data (the runbook's merge procedure applies).
   */
  async demote(signal?: AbortSignal): Promise<'already' | 'demoted'> {
    const mine = await this.snapshot(this.local, signal);
    if (mine.repl.role === 'slave' && mine.repl.masterHost === this.peerEndpoint.host) return 'already';
    // 1. Fence: from here this node acknowledges nothing alone (the journal script checks the lease),
    // and serves no new sync (a replica that reconnects keeps what it has).
    await this.call(this.local.del(DURABILITY_KEYS.lease), 'DEL lease', signal, this.local);
    await this.call(this.local.call('ACL', 'SETUSER', REPLICATION_USER, 'off'), 'ACL SETUSER off', signal, this.local);
    // 2. Wait until the peer is the shard's master (the agent there leased it: it was eligible).
    let peer: NodeSnapshot | undefined;
    for (;;) {
      if (signal?.aborted) throw new Superseded('demotion');
      peer = await this.peerSnapshot(signal).catch((error: unknown) => { if (error instanceof Superseded) throw error; return undefined; });
      if (peer?.repl.role === 'master' && peer.leased) break;
      await pause(100, signal);
    }
    // 3. Proof: the peer's dataset descends from ours (or ours holds nothing to lose).
    const local = await this.snapshot(this.local, signal);
    const shared = sharedHistory({ ...local.repl, previous: this.history.all() }, peer.repl);
    if (!shared) {
      const keys = await this.dataKeys(signal);
      if (keys > 0) {
        throw new DemotionUnproven(`the peer's replication history (${peer.repl.replid}/${peer.repl.replid2}) does not continue this node's (${local.repl.replid}/${local.repl.replid2}, earlier ${this.history.all().join(',') || 'none'}); keeping ${keys} keys fenced`);
      }
    }
    // 4. Merge what this node acknowledged alone.
    const merged = await this.mergeJournal(peer.runId, [local.runId, ...this.history.runIds()], signal);
    if (signal?.aborted) throw new Superseded('demotion');
    // 5. Only now give up the local data.
    this.syncedFrom = peer.runId;
    await this.useReplicationUserOf(signal);
    await this.call(this.local.call('REPLICAOF', this.peerEndpoint.host, String(this.peerEndpoint.port)), 'REPLICAOF', signal, this.local);
    this.log.info('local Redis now replicates the peer', { peer: this.peerEndpoint.host, sharedHistory: shared ?? 'none (no data)', mergedEntries: merged, localOffset: local.repl.offset, peerSecondOffset: peer.repl.secondOffset });
    return 'demoted';
  }

  /**
   * Replays the entries this node's own Redis processes acknowledged (`ours`; a replica also holds a
   * copy of its master's journal, which is the master's to merge) into the peer and appends them to
   * the peer's journal (there they are acknowledged-alone data until a replica confirms them), in
   * MULTI blocks guarded by the peer's lease; then deletes them here, so a retried demotion never
   * merges an entry twice.
   */
  private async mergeJournal(peerRunId: string, ours: readonly string[], signal?: AbortSignal): Promise<number> {
    const all = (await this.call(this.local.xrange(DURABILITY_KEYS.journal, '-', '+'), 'XRANGE', signal, this.local)) as Array<[string, string[]]>;
    const origin = (fields: string[]) => (fields.includes('r') ? fields[fields.indexOf('r') + 1] : undefined);
    const entries = all.filter(([, fields]) => { const o = origin(fields); return o === undefined || ours.includes(o); });
    if (entries.length === 0) return 0;
    const peer = this.peerClient();
    try {
      // Entries the peer received by replication are already there with their writes (a journal entry
      // follows its writes in the replication stream): merging them would double them. A copy has the
      // same id AND the same fields: both nodes share one clock and their streams continue from the same
      // last id, so after a split the peer's own entries take the very ids ours have.
      const key = ([id, fields]: [string, string[]]) => JSON.stringify([id, ...fields]);
      const replicated = new Set(((await this.call(peer.xrange(DURABILITY_KEYS.journal, entries[0]![0], entries[entries.length - 1]![0]), 'XRANGE peer', signal, peer)) as Array<[string, string[]]>).map(key));
      const missing = entries.filter((entry) => !replicated.has(key(entry)));
      for (let i = 0; i < missing.length; i += REPLAY_BATCH) {
        if (signal?.aborted) throw new Superseded('journal merge');
        const batch = missing.slice(i, i + REPLAY_BATCH);
        await this.call(peer.watch(DURABILITY_KEYS.lease), 'WATCH', signal, peer);
        const lease = await this.call(peer.get(DURABILITY_KEYS.lease), 'GET lease', signal, peer);
        if (lease !== peerRunId) { await peer.unwatch(); throw new Error('the peer lost its lease during the merge'); }
        const multi = peer.multi();
        for (const [, fields] of batch) {
          const json = fields[fields.indexOf('c') + 1] ?? '[]';
          for (const [name, ...args] of JSON.parse(json) as RecordedCommand[]) multi.call(name, ...args);
          multi.xadd(DURABILITY_KEYS.journal, '*', 'c', json, 'r', origin(fields) ?? 'unknown');
        }
        const results = await this.call(multi.exec(), 'EXEC', signal, peer);
        if (results === null) throw new Error('the peer lost its lease during the merge');
        const failed = results.find(([error]) => error);
        if (failed) throw new Error(`journal replay into the peer failed: ${String(failed[0])}`);
        await this.call(this.local.xdel(DURABILITY_KEYS.journal, ...batch.map(([id]) => id)), 'XDEL', signal, this.local);
      }
      this.log.info('merged the journal into the new master', { entries: missing.length, alreadyReplicated: entries.length - missing.length });
      return missing.length;
    } finally {
      peer.disconnect();
    }
  }

  /** Lets replicas sync from the local Redis (only ever called for the leased master). */
  private async serveSyncs(signal?: AbortSignal): Promise<void> {
    await this.call(this.local.call('ACL', 'SETUSER', REPLICATION_USER, 'reset', 'on', `>${this.replicationSecret}`, '+psync', '+replconf', '+ping'), 'ACL SETUSER', signal, this.local);
  }

  private get replicationSecret(): string {
    return this.peerEndpoint.password ?? NO_PASSWORD_SECRET;
  }

  /**
   * Sync as the replication user when the peer has it (every peer whose agent is this version), else as
   * the default user (a peer still running an older agent, mid rolling deploy).
   */
  private async useReplicationUserOf(signal?: AbortSignal): Promise<void> {
    const peer = this.peerClient();
    try {
      const user = await this.call(peer.call('ACL', 'GETUSER', REPLICATION_USER), 'ACL GETUSER peer', signal, peer);
      const auth = user === null
        ? ['masteruser', '', 'masterauth', this.peerEndpoint.password ?? '']
        : ['masteruser', REPLICATION_USER, 'masterauth', this.replicationSecret];
      await this.call(this.local.call('CONFIG', 'SET', ...auth), 'CONFIG SET masteruser', signal, this.local);
    } finally {
      peer.disconnect();
    }
  }

  /** Marks the local dataset eligible when it is the leased master or a synced replica of the leased peer. */
  async refreshEligibility(signal?: AbortSignal): Promise<boolean> {
    const mine = await this.snapshot(this.local, signal);
    if (mine.repl.role === 'master') {
      if (mine.leased) {
        this.marker.write(mine.runId);
        this.history.record(mine.repl.replid, mine.runId);
        // Also a master leased by an agent from before the replication user (upgraded in place).
        await this.serveSyncs(signal);
      }
      return this.eligible(mine);
    }
    if (mine.repl.masterHost !== this.peerEndpoint.host || !mine.repl.linkUp || mine.repl.syncInProgress) return this.eligible(mine);
    // Synced from the leased master (not from a node that is itself only a candidate): the peer holds
    // the lease now, or it is the very process this node chose while it held it (it may have been
    // fenced since, e.g. its keepalived died right after this node's sync completed).
    const peer = await this.peerSnapshot(signal).catch(() => undefined);
    if (peer && (peer.leased || peer.runId === this.syncedFrom) && peer.repl.replid === mine.repl.replid) {
      this.marker.write(mine.runId);
      this.history.record(mine.repl.replid);
    }
    return this.eligible(mine);
  }

  /**
   * Journal entries leave once a replica confirmed them: write a mark after the newest entry, WAIT for
   * one replica, then trim up to that entry. Returns the journal's length afterwards.
   */
  async trimConfirmedJournal(waitMs: number): Promise<number> {
    const newest = (await this.call(this.local.xrevrange(DURABILITY_KEYS.journal, '+', '-', 'COUNT', 1), 'XREVRANGE', undefined, this.local)) as Array<[string, string[]]>;
    if (newest.length === 0) return 0;
    const id = newest[0]![0];
    const results = await this.call(this.local.pipeline().set(JOURNAL_MARK, id).call('WAIT', '1', String(waitMs)).exec(), 'WAIT', undefined, this.local);
    if (Number(results?.[1]?.[1] ?? 0) >= 1) {
      await this.call(this.local.xtrim(DURABILITY_KEYS.journal, 'MINID', nextStreamId(id)), 'XTRIM', undefined, this.local);
    }
    return this.journalLength();
  }

  disconnect(): void {
    this.local.disconnect();
  }
}
