import type { Logger } from '@aws-lambda-powertools/logger';
import { Redis } from 'ioredis';
import { DURABILITY_KEYS, type RecordedCommand } from '../../common/durable-shard-write';

export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
  readonly password?: string;
}

/** Thrown when a newer keepalived state superseded the transition in progress. */
export class Superseded extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function connect(endpoint: RedisEndpoint): Redis {
  return new Redis({
    host: endpoint.host, port: endpoint.port, password: endpoint.password,
    lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1000, commandTimeout: 3000,
    retryStrategy: () => 200, enableOfflineQueue: true,
  });
}

/**
 * The local Redis's replication role, driven by keepalived's state. Demotion keeps the durability
 * contract of common/durable-shard-write.ts: fence, wait for the peer to be master, replay this
 * node's journal into it, and only then REPLICAOF (which discards the local data).
 */
export class RedisRole {
  readonly local: Redis;
  private readonly peer: Redis;

  constructor(local: RedisEndpoint, private readonly peerEndpoint: RedisEndpoint, private readonly log: Logger) {
    this.local = connect(local);
    this.peer = connect(peerEndpoint);
  }

  async promote(): Promise<void> {
    await this.local.call('REPLICAOF', 'NO', 'ONE');
    await this.local.del(DURABILITY_KEYS.fence);
  }

  async role(client: Redis = this.local): Promise<{ role: string; masterHost?: string; linkUp: boolean; connectedReplicas: number }> {
    const info = await client.info('replication');
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
    return {
      role: field('role') ?? 'unknown',
      masterHost: field('master_host'),
      linkUp: field('master_link_status') === 'up',
      connectedReplicas: Number(field('connected_slaves') ?? 0),
    };
  }

  /** `current()` returns false once a newer transition started: the demotion then stops where it is. */
  async demote(current: () => boolean): Promise<void> {
    const check = () => { if (!current()) throw new Superseded(); };
    const mine = await this.role();
    if (mine.role === 'slave' && mine.masterHost === this.peerEndpoint.host) return;
    // 1. Fence: from here this node acknowledges nothing on its own.
    await this.local.set(DURABILITY_KEYS.fence, String(Date.now()));
    // 2. Wait until the peer is a writable master (it may still be our replica, about to be promoted).
    for (;;) {
      check();
      const peer = await this.role(this.peer).catch(() => undefined);
      if (peer?.role === 'master') break;
      await sleep(100);
    }
    // 3. Replay what this node acknowledged alone into the new master (idempotent writes).
    const entries = (await this.local.xrange(DURABILITY_KEYS.journal, '-', '+')) as Array<[string, string[]]>;
    check();
    if (entries.length > 0) {
      const pipeline = this.peer.pipeline();
      for (const [, fields] of entries) {
        const commands = JSON.parse(fields[1] ?? '[]') as RecordedCommand[];
        for (const [name, ...args] of commands) pipeline.call(name, ...args);
      }
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw new Error(`journal replay into the peer failed: ${String(failed[0])}`);
      // The merged writes now need the same guarantee on the peer: one replica (us, soon) or its journal.
      await this.peer.xadd(DURABILITY_KEYS.journal, '*', 'c', JSON.stringify(entries.flatMap(([, f]) => JSON.parse(f[1] ?? '[]') as RecordedCommand[])));
      this.log.info('replayed journal into the new master', { entries: entries.length });
    }
    check();
    // 4. Only now give up the local data.
    await this.local.call('REPLICAOF', this.peerEndpoint.host, String(this.peerEndpoint.port));
    this.log.info('local Redis now replicates the peer', { peer: this.peerEndpoint.host });
  }

  disconnect(): void {
    this.local.disconnect();
    this.peer.disconnect();
  }
}
