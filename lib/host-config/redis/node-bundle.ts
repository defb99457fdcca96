import type { EnvConfig } from '../../config-schema/schema';
import type { RedisNode } from '../../model/redis-topology';
import { deployMarker, type BundleAction, type BundleSpec } from '../bundle';
import type { HostFile } from '../cloud-init';
import { HOST_OBSERVABILITY_PATHS } from '../observability';
import { redisNodeFiles, redisNodeObservability, type DeployValues } from './node-cloud-init';
import { NODE_PATHS as P, REDIS_PORT } from './paths';

/** Scripts the bundle's prepare and verify steps run (rendered below, delivered in the bundle). */
export const NODE_BUNDLE_PATHS = {
  handOver: '/usr/local/libexec/monsaas/hand-over-if-master',
  ready: '/usr/local/libexec/monsaas/node-ready',
} as const;

/** Names of the deploy values a node bundle reads (the association passes them; see RedisNodeDelivery). */
export const NODE_DEPLOY_VALUES = {
  authSecretArn: 'authSecretArn',
  agentBundleUrl: 'agentBundleUrl',
  routeTableId: (i: number) => `routeTableId${i}`,
} as const;

/** Deploy values as the markers the applier replaces on the host. */
export function markerDeployValues(config: EnvConfig): DeployValues {
  return {
    region: config.region,
    authSecretArn: deployMarker(NODE_DEPLOY_VALUES.authSecretArn),
    agentBundleS3Url: deployMarker(NODE_DEPLOY_VALUES.agentBundleUrl),
    routeTableIds: config.availabilityZones.map((_, i) => deployMarker(NODE_DEPLOY_VALUES.routeTableId(i))),
  };
}

/** Where the ready and hand-over scripts find things; the host's values by default (tests run them against local servers). */
export interface NodeScriptTools {
  readonly redisCli: string;
  readonly port: number;
  readonly peerPort: number;
  readonly passwordFile: string;
  readonly interface: string;
  readonly switchoverScript: string;
  /** keepalived's health check (it passes only once the agent marked this Redis eligible to take over). */
  readonly checkScript: string;
}

const HOST_TOOLS: NodeScriptTools = {
  redisCli: P.redisCli, port: REDIS_PORT, peerPort: REDIS_PORT, passwordFile: P.redisPasswordFile, interface: P.interface, switchoverScript: P.switchoverScript, checkScript: P.checkScript,
};

const cli = (t: NodeScriptTools, host: string, port: number) => `timeout 3 ${t.redisCli} -h ${host} -p ${port} --no-auth-warning`;
// grep without -q reads all of ip's output: under pipefail an early exit would kill ip with SIGPIPE, fail
// the pipeline and answer "not held" for a VIP that is held.
const holdsVip = (t: NodeScriptTools, node: RedisNode) => `ip -o -4 addr show dev ${t.interface} | grep -w '${node.vip}/32' >/dev/null`;

/**
 * Before a disruptive change (a Redis restart): if this node is the shard's master, hand the role to the
 * standby with the planned switchover (lib/host-config/redis/switchover-script.ts: refuses unless the
 * standby is an online replica, so a hand-over never leaves the shard without a master).
 */
export function renderHandOverScript(node: RedisNode, t: NodeScriptTools = HOST_TOOLS): string {
  return `#!/bin/bash
# Rendered by lib/host-config/redis/node-bundle.ts: the bundle's prepare step.
set -euo pipefail
if ! ${holdsVip(t, node)}; then
  echo "${node.name} does not hold ${node.vip}: nothing to hand over"
  exit 0
fi
exec ${t.switchoverScript}
`;
}

/**
 * The bundle's verify step: the rollout moves to the next node only when this one is ready, i.e. its
 * services run and it is either the master holding the VIP, or a replica with a completed sync that
 * keepalived's check accepts (the agent marked it eligible, so it could take over), or
 * alone (its peer unreachable: the first node of a new pair, or the peer is being relaunched), or one of
 * a new pair that holds no data on either node (nothing can be lost; it awaits its bootstrap).
 */
export function renderNodeReadyScript(node: RedisNode, t: NodeScriptTools = HOST_TOOLS): string {
  const local = cli(t, '127.0.0.1', t.port);
  const peer = cli(t, node.peerIp, t.peerPort);
  return `#!/bin/bash
# Rendered by lib/host-config/redis/node-bundle.ts: the bundle's verify step.
set -uo pipefail
REDISCLI_AUTH="$(cat ${t.passwordFile})"
export REDISCLI_AUTH
for unit in monsaas-redis.service monsaas-failover-agent.service keepalived.service; do
  systemctl is-active --quiet "$unit" || { echo "$unit is not active"; exit 1; }
done
info="$(${local} info replication | tr -d '\r')" || { echo "redis does not answer"; exit 1; }
field() { sed -n "s/^$1://p" <<<"$info"; }
if ${holdsVip(t, node)}; then
  [ "$(field role)" = master ] && { echo "master holding ${node.vip}"; exit 0; }
  echo "holds ${node.vip} but redis is $(field role)"; exit 1
fi
if [ "$(field role)" = slave ] && [ "$(field master_link_status)" = up ] && [ "$(field master_sync_in_progress)" = 0 ]; then
  # The standby must also be able to take over: keepalived's own check passes once the agent marked it eligible.
  if ${t.checkScript}; then echo "replica of $(field master_host), sync complete, eligible"; exit 0; fi
  echo "replica of $(field master_host), sync complete, not yet eligible to take over"; exit 1
fi
if ! ${peer} ping 2>/dev/null | grep -x PONG >/dev/null; then
  echo "peer ${node.peerIp} unreachable: standing alone"; exit 0
fi
# A brand-new pair holds nothing to sync and waits for its documented bootstrap (docs/runbooks/redis-failover.md).
if [ "$(${local} dbsize)" = 0 ] && [ "$(${peer} dbsize)" = 0 ]; then
  echo "new empty pair: nothing to sync"; exit 0
fi
echo "not ready: role $(field role), link $(field master_link_status), sync in progress $(field master_sync_in_progress)"
exit 1
`;
}

const UNIT_DIR = '/etc/systemd/system/';

/**
 * A node's bundle: every node file (deploy values as markers), the agent as an artifact, and the actions
 * each change needs. Only a Redis restart is disruptive (the master hands over first); the agent restarts
 * in place (it relearns its state), keepalived reloads (SIGHUP keeps the VRRP state).
 */
export function redisNodeBundle(config: EnvConfig, node: RedisNode, extraFiles: readonly HostFile[] = []): BundleSpec {
  const files: HostFile[] = [
    ...redisNodeFiles(config, node, markerDeployValues(config)).filter((f) => f.path !== P.agentBundle),
    { path: NODE_BUNDLE_PATHS.handOver, permissions: '0755', content: renderHandOverScript(node) },
    { path: NODE_BUNDLE_PATHS.ready, permissions: '0755', content: renderNodeReadyScript(node) },
    ...extraFiles,
  ];
  const paths = files.map((f) => f.path);
  const units = paths.filter((p) => p.startsWith(UNIT_DIR));
  const observabilityFiles = Object.values(HOST_OBSERVABILITY_PATHS).filter((p) => paths.includes(p));
  const actions: BundleAction[] = [
    // Directories, AUTH and maxmemory files from the secret and the instance's memory (idempotent).
    { name: 'prepare-node', when: 'always', run: [P.bootstrapScript] },
    { name: 'daemon-reload', when: units, run: ['systemctl', 'daemon-reload'] },
    { name: 'restart-redis', when: [P.redisConf, `${UNIT_DIR}monsaas-redis.service`], run: ['systemctl', 'restart', 'monsaas-redis.service'], disruptive: true },
    { name: 'restart-agent', when: [P.agentBundle, P.agentConfig, `${UNIT_DIR}monsaas-failover-agent.service`], run: ['systemctl', 'restart', 'monsaas-failover-agent.service'] },
    { name: 'reload-keepalived', when: [P.keepalivedConf, P.checkScript], run: ['systemctl', 'reload-or-restart', 'keepalived.service'] },
    { name: 'enable-services', when: 'always', run: ['systemctl', 'enable', '--now', 'monsaas-redis.service', 'monsaas-failover-agent.service', 'keepalived.service'] },
    ...redisNodeObservability(config, node).runcmd.map((run, i): BundleAction => ({ name: `observability-${i + 1}`, when: observabilityFiles, run })),
  ];
  return {
    host: node.name,
    files,
    artifacts: [{ path: P.agentBundle, url: deployMarker(NODE_DEPLOY_VALUES.agentBundleUrl), permissions: '0644' }],
    actions,
    prepare: [NODE_BUNDLE_PATHS.handOver],
    // A full sync of a large data set takes minutes: up to 15 min, within the document's 30 min.
    verify: { run: [NODE_BUNDLE_PATHS.ready], attempts: 450, intervalSeconds: 2 },
  };
}
