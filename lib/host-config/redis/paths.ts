/** Where things live on a shard node (Amazon Linux 2023). */
export const NODE_PATHS = {
  etc: '/etc/monsaas',
  redisConf: '/etc/monsaas/redis.conf',
  redisAuthConf: '/etc/monsaas/redis-auth.conf',
  redisPasswordFile: '/etc/monsaas/redis-password',
  redisMemoryConf: '/etc/monsaas/redis-memory.conf',
  redisDataDir: '/var/lib/monsaas-redis',
  keepalivedConf: '/etc/keepalived/keepalived.conf',
  checkScript: '/usr/local/libexec/monsaas/check-redis',
  bootstrapScript: '/usr/local/libexec/monsaas/bootstrap',
  agentBundle: '/usr/local/libexec/monsaas/failover-agent.js',
  agentConfig: '/etc/monsaas/failover-agent.json',
  /** Values only the stack knows (secret ARN, bundle location), written by CDK into user data. */
  deployEnv: '/etc/monsaas/deploy.env',
  notifyFifo: '/run/monsaas/keepalived.fifo',
  /** run_id of the local Redis once it may become MASTER (written by the agent, read by the check script). */
  eligibilityFile: '/run/monsaas/redis-eligible',
  /** Replication ids this node served (the agent's StateDirectory): demotion proof after a Redis restart. */
  historyFile: '/var/lib/monsaas-failover-agent/replication-history.json',
  /** keepalived's VRRP child (its default pid file on AL2023's keepalived 2.2). */
  keepalivedVrrpPid: '/run/keepalived/vrrp.pid',
  switchoverScript: '/usr/local/libexec/monsaas/redis-switchover',
  redisServer: '/usr/bin/redis6-server',
  redisCli: '/usr/bin/redis6-cli',
  node: '/usr/bin/node-22',
  interface: 'ens5',
} as const;

export const REDIS_PORT = 6379;
