import type { App } from 'aws-cdk-lib';
import type { EnvConfig } from '../config-schema/schema';
import { ServicesStack } from '../stacks/services-stack';
import { BatchStack } from '../stacks/batch-stack';
import { CiStack } from '../stacks/ci-stack';
import { DataStack } from '../stacks/data-stack';
import { DnsStack } from '../stacks/dns-stack';
import { EdgeHealthStack } from '../stacks/edge-health-stack';
import { MonitoringStack } from '../stacks/monitoring-stack';
import { NetworkStack } from '../stacks/network-stack';
import { RedisStack } from '../stacks/redis-stack';
import { TsdbStack } from '../stacks/tsdb-stack';

/** One environment's stacks, split by lifecycle and wired together. */
export interface PlatformEnvironment {
  readonly config: EnvConfig;
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly redis: RedisStack;
  readonly dns: DnsStack;
  readonly tsdb: TsdbStack;
  readonly services: ServicesStack;
  /** Route 53 health checks of the public names, in us-east-1 (where their metrics are). */
  readonly edgeHealth: EdgeHealthStack;
  readonly batch: BatchStack;
  readonly monitoring: MonitoringStack;
  readonly ci: CiStack;
}

/**
 * Builds one environment's stacks and wires each consumer to its producers' typed contracts
 * (lib/platform/contracts.ts), in dependency order.
 */
export function buildEnvironment(app: App, config: EnvConfig): PlatformEnvironment {
  const network = new NetworkStack(app, { config });
  const data = new DataStack(app, { config, network });
  const redis = new RedisStack(app, { config, vpc: network.vpc, securityGroups: network.securityGroups });
  const dns = new DnsStack(app, { config, vpc: network.vpc, securityGroups: network.securityGroups });
  const tsdb = new TsdbStack(app, { config, network, data, redis: redis.endpoints });
  const services = new ServicesStack(app, { config, network, data, redis: redis.endpoints, tsdb });
  const edgeHealth = new EdgeHealthStack(app, {
    config,
    endpoints: [services.apiEndpoint, services.webEndpoint].map((e) => ({ domainName: e.domainName, path: e.healthCheckPath })),
  });
  const batch = new BatchStack(app, { config, network, data });
  const monitoring = new MonitoringStack(app, { config, data, tsdb, services, batch, dns, edgeHealth });
  const ci = new CiStack(app, { config });
  return { config, network, data, redis, dns, tsdb, services, edgeHealth, batch, monitoring, ci };
}
