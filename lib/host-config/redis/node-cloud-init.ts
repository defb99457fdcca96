import type { EnvConfig } from '../../config-schema/schema';
import { renderCloudConfig } from '../cloud-init';
import { renderHostObservability, subnetsByAz } from '../observability';
import type { HostFile } from '../cloud-init';
import { agentConfigFor } from './agent-config';
import { renderCheckScript } from './check-script';
import { renderKeepalivedConf } from './keepalived-conf';
import { NODE_PATHS as P, REDIS_PORT } from './paths';
import { renderRedisConf } from './redis-conf';
import { renderAgentUnit, renderKeepalivedDropIn, renderRedisUnit } from './systemd';
import type { RedisNode } from '../../model/redis-topology';

/** What only the deployed stack knows; render-hosts shows placeholders. */
export interface DeployValues {
  readonly region: string;
  readonly authSecretArn: string;
  readonly agentBundleS3Url: string;
  readonly routeTableIds: readonly string[];
}

export const PLACEHOLDER_DEPLOY_VALUES = (config: EnvConfig): DeployValues => ({
  region: config.region,
  authSecretArn: '<redis auth secret ARN, from the redis stack>',
  agentBundleS3Url: '<s3 url of the failover agent bundle, from the redis stack>',
  routeTableIds: ['<private route table ids, from the network stack>'],
});

/**
 * First-boot script: fetch the AUTH secret and the agent bundle, size maxmemory from the instance's
 * memory, then enable and start redis, the agent and keepalived (enabled, so they come back after a reboot).
 */
function bootstrapScript(config: EnvConfig): string {
  return `#!/bin/bash
# Rendered by lib/host-config/redis/node-cloud-init.ts. Runs once at first boot (cloud-init runcmd).
set -euo pipefail
source ${P.deployEnv}
install -d -m 0750 -o redis -g redis ${P.redisDataDir}
password="$(aws secretsmanager get-secret-value --region "$REGION" --secret-id "$AUTH_SECRET_ARN" --query SecretString --output text)"
umask 077
printf '%s' "$password" > ${P.redisPasswordFile}
printf 'requirepass "%s"\\nmasterauth "%s"\\n' "$password" "$password" > ${P.redisAuthConf}
chown redis:redis ${P.redisAuthConf}
mem_kib="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
echo "maxmemory $(( mem_kib * 1024 * ${config.redis.maxmemoryPercent} / 100 ))" > ${P.redisMemoryConf}
chown redis:redis ${P.redisMemoryConf}
aws s3 cp --region "$REGION" "$AGENT_BUNDLE_S3_URL" ${P.agentBundle}
systemctl daemon-reload
systemctl enable --now monsaas-redis.service monsaas-failover-agent.service keepalived.service
`;
}

/** Host metrics of a node: process counts, TCP counters, Redis INFO, VIP ownership, 6379 and inter-AZ bytes. */
function redisNodeObservability(config: EnvConfig, node: RedisNode) {
  return renderHostObservability(config, {
    role: 'redis',
    host: node.name,
    az: node.availabilityZone,
    subnetsByAz: subnetsByAz(config),
    processes: ['keepalived', 'redis6-server'],
    redis: { shard: node.shard, node: node.role, port: REDIS_PORT, vip: node.vip, cliCommand: `${P.redisCli} -p ${REDIS_PORT}`, passwordFile: P.redisPasswordFile },
  });
}

/** Every file a node gets (the same list cloud-init writes and render-hosts prints). */
export function redisNodeFiles(config: EnvConfig, node: RedisNode, deploy: DeployValues): HostFile[] {
  return [
    { path: P.redisConf, owner: 'root:root', content: renderRedisConf({
      // All addresses: the VIP comes and goes with mastership; security groups decide who reaches 6379.
      bind: ['0.0.0.0'], port: REDIS_PORT, dataDir: P.redisDataDir,
      authInclude: P.redisAuthConf, maxmemory: { include: P.redisMemoryConf }, maxmemoryPolicy: config.redis.maxmemoryPolicy,
    }) },
    { path: P.keepalivedConf, content: renderKeepalivedConf({
      routerId: node.name, instanceName: `shard_${node.shard}`, interface: P.interface, virtualRouterId: node.virtualRouterId,
      priority: node.priority, advertIntervalMs: config.redis.advertIntervalMs, srcIp: node.privateIp, peerIp: node.peerIp,
      vip: node.vip, checkScript: P.checkScript, notifyFifo: P.notifyFifo,
    }) },
    { path: P.checkScript, permissions: '0755', content: renderCheckScript({ redisCli: P.redisCli, port: REDIS_PORT, passwordFile: P.redisPasswordFile }) },
    { path: P.agentConfig, content: `${JSON.stringify(agentConfigFor(config, node, deploy), null, 2)}\n` },
    { path: P.deployEnv, content: `REGION=${deploy.region}\nAUTH_SECRET_ARN=${deploy.authSecretArn}\nAGENT_BUNDLE_S3_URL=${deploy.agentBundleS3Url}\n` },
    { path: '/etc/systemd/system/monsaas-redis.service', content: renderRedisUnit() },
    { path: '/etc/systemd/system/monsaas-failover-agent.service', content: renderAgentUnit() },
    { path: '/etc/systemd/system/keepalived.service.d/monsaas.conf', content: renderKeepalivedDropIn() },
    { path: P.bootstrapScript, permissions: '0755', content: bootstrapScript(config) },
    ...redisNodeObservability(config, node).files,
  ];
}

/** The node's user data: distribution packages, the files above, then the bootstrap. */
export function renderRedisNodeCloudConfig(config: EnvConfig, node: RedisNode, deploy: DeployValues): string {
  const observability = redisNodeObservability(config, node);
  return renderCloudConfig({
    packages: ['redis6', 'keepalived', 'nodejs22', 'awscli-2', ...observability.packages],
    writeFiles: redisNodeFiles(config, node, deploy),
    // The bootstrap writes the password file the collector reads, so metrics start after it.
    runcmd: [[P.bootstrapScript], ...observability.runcmd],
    // The document carries deploy-time ARNs, so it cannot be gzipped whole: large static files are.
    compressFilesOver: 1024,
  });
}
