import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EnvConfig } from '../../config-schema/schema';
import type { HostFile } from '../cloud-init';
import { ACCOUNTING_CHAINS, renderAccountingLoader, renderAccountingRules } from './accounting-rules';
import { renderAgentConfig } from './cloudwatch-agent';
import { HOST_NAMESPACE, hostMetricsLogGroupName, type HostRole } from './metric-contract';
import { renderAccountingService, renderCollectorService, renderCollectorTimer } from './systemd-units';

export * from './metric-contract';
export { ACCOUNTING_CHAINS } from './accounting-rules';
export { subnetsByAz } from './subnets';

export interface RedisObservability {
  /** Shard index (0-based) and the node's position in the pair ("a" or "b", as lib/model/redis-topology.ts names them): the alarms' dimensions. */
  readonly shard: number;
  readonly node: string;
  /** Redis port (default 6379); counted by the accounting chains. */
  readonly port?: number;
  /** The shard's virtual IP: the node holding it is keepalived's MASTER. */
  readonly vip?: string;
  /** How the collector runs redis-cli (add --tls/--cacert here; a password goes in REDISCLI_AUTH via authEnvFile). */
  readonly cliCommand?: string;
  /** File holding the Redis password; the collector passes it to redis-cli as REDISCLI_AUTH. */
  readonly passwordFile?: string;
  /** Optional systemd EnvironmentFile with REDISCLI_AUTH=... (kept out of the rendered config). */
  readonly authEnvFile?: string;
}

export interface HostObservabilityOptions {
  readonly role: HostRole;
  /** The host's name as rendered (e.g. "redis-shard-0-a"), published as the Host dimension. */
  readonly host: string;
  readonly az: string;
  /** Subnet CIDRs by AZ; every AZ but the host's own gets accounting rules. */
  readonly subnetsByAz: Readonly<Record<string, readonly string[]>>;
  /** Daemons whose process count is published (e.g. ["keepalived", "redis-server"]). */
  readonly processes: readonly string[];
  readonly redis?: RedisObservability;
  /**
   * Resolvers: set to have the collector publish Unbound's counters too (e.g. "unbound-control -c /etc/unbound/unbound.conf").
   * Off by default: the resolvers' own publisher (hosts/unbound-stats) already sends them to MonSaaS/Resolvers.
   */
  readonly unboundControlCommand?: string;
}

export interface HostObservability {
  readonly files: HostFile[];
  readonly packages: string[];
  readonly runcmd: string[][];
}

export const HOST_OBSERVABILITY_PATHS = {
  collector: '/usr/local/sbin/monsaas-host-metrics',
  collectorEnv: '/etc/monsaas/host-metrics.env',
  collectorService: '/etc/systemd/system/monsaas-host-metrics.service',
  collectorTimer: '/etc/systemd/system/monsaas-host-metrics.timer',
  accountingRules: '/etc/monsaas/iptables-accounting.rules',
  accountingLoader: '/usr/local/sbin/monsaas-iptables-accounting',
  accountingService: '/etc/systemd/system/monsaas-iptables-accounting.service',
  agentConfig: '/opt/aws/amazon-cloudwatch-agent/etc/monsaas-agent.json',
} as const;

/** Amazon Linux 2023 package names (the agent is in its repositories). */
export const HOST_OBSERVABILITY_PACKAGES = ['amazon-cloudwatch-agent', 'iptables-nft', 'procps-ng', 'iproute'];

/** The collector script itself: a plain shell file beside this module, so it can be run and tested as is. */
export function collectorScript(): string {
  return fs.readFileSync(path.resolve(__dirname, '../../../hosts/host-metrics/monsaas-host-metrics.sh'), 'utf8');
}

const SAFE = /^[A-Za-z0-9._-]+$/;
function safe(field: string, value: string): string {
  if (!SAFE.test(value)) throw new Error(`host observability: ${field} "${value}" may only hold letters, digits, ".", "_" and "-"`);
  return value;
}

function envFile(config: EnvConfig, options: HostObservabilityOptions): string {
  const vars: Record<string, string> = {
    ENVIRONMENT: safe('environment', config.name),
    ROLE: options.role,
    HOST_NAME: safe('host', options.host),
    NAMESPACE: HOST_NAMESPACE,
    LOG_GROUP: hostMetricsLogGroupName(config.name, options.role),
    PROCESSES: options.processes.map((p) => safe('process', p)).join(' '),
    ACCOUNTING_CHAINS: `${ACCOUNTING_CHAINS.in} ${ACCOUNTING_CHAINS.out}`,
  };
  if (options.redis) {
    vars.REDIS_SHARD = String(options.redis.shard);
    vars.REDIS_NODE = String(options.redis.node);
    vars.REDIS_CLI = options.redis.cliCommand ?? `redis-cli -p ${options.redis.port ?? 6379}`;
    if (options.redis.vip) vars.VIP = options.redis.vip;
    if (options.redis.passwordFile) vars.REDIS_PASSWORD_FILE = options.redis.passwordFile;
  }
  if (options.unboundControlCommand) vars.UNBOUND_CONTROL = options.unboundControlCommand;
  return Object.entries(vars).map(([k, v]) => `${k}="${v}"`).join('\n') + '\n';
}

/**
 * Everything a Redis node or resolver needs to publish its own health: CloudWatch agent (procstat, EMF
 * listener), the per-minute collector (TCP counters, process counts, accounting chains, Redis INFO or
 * Unbound stats) and the iptables accounting chains. Spread the result into the host's cloud-config.
 */
export function renderHostObservability(config: EnvConfig, options: HostObservabilityOptions): HostObservability {
  const p = HOST_OBSERVABILITY_PATHS;
  const collectorService = renderCollectorService(p.collector, p.collectorEnv);
  const files: HostFile[] = [
    { path: p.agentConfig, content: renderAgentConfig({ environment: config.name, role: options.role, host: options.host, processes: options.processes }) },
    { path: p.collector, content: collectorScript(), permissions: '0755' },
    { path: p.collectorEnv, content: envFile(config, options), permissions: '0640' },
    {
      path: p.collectorService,
      content: options.redis?.authEnvFile
        ? collectorService.replace(`EnvironmentFile=${p.collectorEnv}\n`, `EnvironmentFile=${p.collectorEnv}\nEnvironmentFile=${options.redis.authEnvFile}\n`)
        : collectorService,
    },
    { path: p.collectorTimer, content: renderCollectorTimer() },
    {
      path: p.accountingRules,
      content: renderAccountingRules({ az: options.az, subnetsByAz: options.subnetsByAz, redisPort: options.redis ? options.redis.port ?? 6379 : undefined }),
    },
    { path: p.accountingLoader, content: renderAccountingLoader(p.accountingRules), permissions: '0755' },
    { path: p.accountingService, content: renderAccountingService(p.accountingLoader) },
  ];
  const runcmd = [
    ['systemctl', 'daemon-reload'],
    ['systemctl', 'enable', '--now', 'monsaas-iptables-accounting.service'],
    ['/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl', '-a', 'fetch-config', '-m', 'ec2', '-s', '-c', `file:${p.agentConfig}`],
    ['systemctl', 'enable', '--now', 'monsaas-host-metrics.timer'],
  ];
  return { files, packages: [...HOST_OBSERVABILITY_PACKAGES], runcmd };
}
