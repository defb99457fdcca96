export interface RedisConfParams {
  readonly bind: readonly string[];
  readonly port: number;
  readonly dataDir: string;
  /** File holding `requirepass` / `masterauth` (written at boot from Secrets Manager, never rendered). */
  readonly authInclude: string;
  /** File holding `maxmemory` (computed at boot from the instance's memory), or a literal byte count. */
  readonly maxmemory: { readonly include: string } | { readonly bytes: number };
  readonly maxmemoryPolicy: string;
  readonly pidFile?: string;
  readonly logFile?: string;
}

/**
 * redis.conf for a shard node. Persistence: AOF with fsync every second and no RDB snapshots. The
 * durability promise to the writer comes from replication to the standby (WAIT) or from the journal
 * merged on demotion (common/durable-shard-write.ts); AOF lets a restarted node come back
 * with its data (and its journal) instead of empty, so a Redis crash never needs a full Kinesis replay.
 * `always` would fsync every pipeline and cost write throughput for a case replication already covers.
 */
export function renderRedisConf(p: RedisConfParams): string {
  const memory = 'include' in p.maxmemory ? `include ${p.maxmemory.include}` : `maxmemory ${p.maxmemory.bytes}`;
  return [
    '# Rendered by lib/host-config/redis/redis-conf.ts: do not edit on the host.',
    `bind ${p.bind.join(' ')}`,
    `port ${p.port}`,
    'protected-mode yes',
    'tcp-keepalive 60',
    `dir ${p.dataDir}`,
    ...(p.pidFile ? [`pidfile ${p.pidFile}`] : []),
    ...(p.logFile !== undefined ? [`logfile "${p.logFile}"`] : []),
    'daemonize no',
    '# Persistence: AOF (everysec), no RDB snapshots (fork pauses and a second copy on disk buy nothing here).',
    'save ""',
    'appendonly yes',
    'appendfsync everysec',
    'aof-use-rdb-preamble yes',
    '# Replication: the failover agent sets REPLICAOF at runtime; a node boots as a master and stays',
    '# fenced for the writer until keepalived and the agent decide its role.',
    'replica-read-only yes',
    'replica-serve-stale-data yes',
    'repl-diskless-sync yes',
    'repl-diskless-sync-delay 0',
    'repl-backlog-size 256mb',
    '# Never free the backlog: a new one starts a new replication id, which the agent must record to',
    '# prove, after a restart, that the new master holds this node\'s data.',
    'repl-backlog-ttl 0',
    'repl-timeout 10',
    `maxmemory-policy ${p.maxmemoryPolicy}`,
    memory,
    `include ${p.authInclude}`,
    '',
  ].join('\n');
}
