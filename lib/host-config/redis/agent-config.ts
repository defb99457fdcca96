import type { AgentConfig } from '../../../hosts/failover-agent/config';
import type { EnvConfig } from '../../config-schema/schema';
import type { DeployValues } from './node-cloud-init';
import { NODE_PATHS as P, REDIS_PORT } from './paths';
import type { RedisNode } from '../../model/redis-topology';

export function agentConfigFor(config: EnvConfig, node: RedisNode, deploy: DeployValues): AgentConfig {
  return {
    nodeName: node.name,
    shard: node.shard,
    vip: node.vip,
    peerIp: node.peerIp,
    region: deploy.region,
    routeTableIds: [...deploy.routeTableIds],
    redis: { host: '127.0.0.1', port: REDIS_PORT, passwordFile: P.redisPasswordFile },
    notifyFifo: P.notifyFifo,
    reconcileIntervalMs: config.redis.reconcileIntervalS * 1000,
  };
}
