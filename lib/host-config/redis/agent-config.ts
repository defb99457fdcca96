import type { AgentConfig } from '../../../hosts/failover-agent/config';
import type { EnvConfig } from '../../config-schema/schema';
import { HOST_NAMESPACE } from '../observability/metric-contract';
import type { DeployValues } from './node-cloud-init';
import { NODE_PATHS as P, REDIS_PORT } from './paths';
import type { RedisNode } from '../../model/redis-topology';

/** The CloudWatch agent's EMF listener (the host collector sends there too). */
const EMF_UDP = { host: '127.0.0.1', port: 25888 } as const;

export function agentConfigFor(config: EnvConfig, node: RedisNode, deploy: DeployValues): AgentConfig {
  return {
    nodeName: node.name,
    environment: config.name,
    shard: node.shard,
    nodeRole: node.role,
    // The split-brain winner is keepalived's: the higher priority (the preferred node a).
    preferred: node.role === 'a',
    vip: node.vip,
    peerIp: node.peerIp,
    region: deploy.region,
    routeTableIds: [...deploy.routeTableIds],
    redis: { host: '127.0.0.1', port: REDIS_PORT, passwordFile: P.redisPasswordFile },
    notifyFifo: P.notifyFifo,
    keepalivedPidFile: P.keepalivedVrrpPid,
    interface: P.interface,
    eligibilityFile: P.eligibilityFile,
    historyFile: P.historyFile,
    reconcileIntervalMs: config.redis.reconcileIntervalS * 1000,
    emfUdp: EMF_UDP,
    metricsNamespace: HOST_NAMESPACE,
  };
}
