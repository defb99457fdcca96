import type { EnvConfig } from '../../config-schema/schema';
import { renderCloudConfig } from '../cloud-init';
import { renderHostObservability, subnetsByAz } from '../observability';
import type { HostFile } from '../cloud-init';
import { agentConfigFor } from './agent-config';
import { renderCheckScript } from './check-script';
import { renderKeepalivedConf } from './keepalived-conf';
import { NODE_PATHS as P, REDIS_PORT } from './paths';
import { renderRedisConf } from './redis-conf';
import { renderSwitchoverScript } from './switchover-script';
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
 * The bundle's first action on every apply (idempotent): the data directory, the AUTH files from the
 * secret, and maxmemory sized from the instance's memory. Services are started by the later actions.
 */
function prepareNodeScript(config: EnvConfig): string {
  return `#!/bin/bash
# Rendered by lib/host-config/redis/node-cloud-init.ts. Run by the host bundle's applier on every apply.
set -euo pipefail
# shellcheck source=/dev/null
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
`;
}

/** Host metrics of a node: process counts, TCP counters, Redis INFO, VIP ownership, 6379 and inter-AZ bytes. */
export function redisNodeObservability(config: EnvConfig, node: RedisNode) {
  return renderHostObservability(config, {
    role: 'redis',
    host: node.name,
    az: node.availabilityZone,
    subnetsByAz: subnetsByAz(config),
    processes: ['keepalived', 'redis6-server'],
    redis: { shard: node.shard, node: node.role, port: REDIS_PORT, vip: node.vip, cliCommand: `${P.redisCli} -p ${REDIS_PORT}`, passwordFile: P.redisPasswordFile },
  });
}

/** Every file a node gets (delivered by its host bundle, see node-bundle.ts; render-hosts prints them). */
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
    { path: P.checkScript, permissions: '0755', content: renderCheckScript({ redisCli: P.redisCli, port: REDIS_PORT, passwordFile: P.redisPasswordFile, eligibilityFile: P.eligibilityFile }) },
    { path: P.switchoverScript, permissions: '0755', content: renderSwitchoverScript({
      redisCli: P.redisCli, port: REDIS_PORT, passwordFile: P.redisPasswordFile, vip: node.vip,
      stopKeepalived: 'systemctl stop keepalived', startKeepalived: 'systemctl start keepalived', timeoutS: 30,
    }) },
    { path: P.agentConfig, content: `${JSON.stringify(agentConfigFor(config, node, deploy), null, 2)}\n` },
    { path: P.deployEnv, content: `REGION=${deploy.region}\nAUTH_SECRET_ARN=${deploy.authSecretArn}\n` },
    { path: '/etc/systemd/system/monsaas-redis.service', content: renderRedisUnit() },
    { path: '/etc/systemd/system/monsaas-failover-agent.service', content: renderAgentUnit() },
    { path: '/etc/systemd/system/keepalived.service.d/monsaas.conf', content: renderKeepalivedDropIn() },
    { path: P.bootstrapScript, permissions: '0755', content: prepareNodeScript(config) },
    ...redisNodeObservability(config, node).files,
  ];
}

/** Distribution packages of a node; first boot installs them, the bundle's actions start the services. */
export function redisNodePackages(config: EnvConfig, node: RedisNode): string[] {
  return ['redis6', 'keepalived', 'nodejs22', 'awscli-2', ...redisNodeObservability(config, node).packages];
}

/**
 * The node's user data: packages only. Files, agent and services arrive as the node's host bundle through
 * SSM (lib/constructs/redis/redis-node-delivery.ts), so a routine change never touches UserData, which
 * CloudFormation could only apply by stopping the instance (and cloud-init would not re-run anyway).
 */
export function renderRedisNodeCloudConfig(config: EnvConfig, node: RedisNode): string {
  return renderCloudConfig({ packages: redisNodePackages(config, node) });
}
