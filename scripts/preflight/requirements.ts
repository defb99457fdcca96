import type { EnvConfig } from '../../lib/config-schema/schema';
import { RESOLVER_AMI_PARAMETER } from '../../lib/constructs/resolvers/resolver-instances';
import { stackNameOf } from '../../lib/platform/stack-parts';
import { HEALTH_CHECK_METRICS_REGION } from '../../lib/stacks/edge-health-stack';
import { HOST_LABELS } from '../../lib/stacks/services-stack';

/**
 * The lookup role CI's read-only jobs use needs bootstrap version 8 (DefaultStackSynthesizer's
 * MIN_LOOKUP_ROLE_BOOTSTRAP_STACK_VERSION); deploying needs 6.
 */
export const MIN_BOOTSTRAP_VERSION = 8;

/** What one environment needs from its account before a deploy can succeed, derived from config alone. */
export interface PreflightRequirements {
  readonly account: string;
  readonly region: string;
  readonly availabilityZones: readonly string[];
  readonly certificate?: { readonly arn: string; readonly names: readonly string[] };
  readonly hostedZone?: { readonly id: string; readonly domain: string };
  /** The Redis images: `redis.ami`, and `redis.relaunch.ami` while a role is being relaunched. */
  readonly images: ReadonlyArray<{ readonly id: string; readonly architecture: string; readonly name: string; readonly field: string }>;
  /** SSM parameters the stacks read but do not create, and whether each must be a SecureString. */
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly secure: boolean; readonly usedBy: string }>;
  /** Secrets Manager secrets the stacks read but do not create (none today: every secret is the stacks' own). */
  readonly secrets: ReadonlyArray<{ readonly id: string; readonly usedBy: string }>;
  /** Every region a stack of the environment deploys to, with the bootstrap qualifier. */
  readonly bootstrap: { readonly regions: readonly string[]; readonly qualifier: string; readonly minVersion: number };
  /** Instance type -> the AZs it must be offered in. */
  readonly instanceTypes: ReadonlyArray<{ readonly type: string; readonly azs: readonly string[]; readonly usedBy: string }>;
  /** The network stack's name: when it is deployed already, its VPC, NAT gateways and EIPs exist and need no new quota. */
  readonly networkStack: string;
  readonly tsdbStack: string;
  readonly newNetwork: { readonly vpcs: number; readonly natGatewaysPerAz: number; readonly elasticIps: number };
  /** Provisioned Kinesis shards the stream needs (0 on demand). */
  readonly kinesisShards: number;
}

export function preflightRequirements(config: EnvConfig): PreflightRequirements {
  const { edge } = config;
  // NAT gateways go one per AZ in order (CDK places them in the first N public subnets).
  const natAzs = config.availabilityZones.slice(0, config.network.natGateways);
  return {
    account: config.account,
    region: config.region,
    availabilityZones: config.availabilityZones,
    certificate: edge.certificateArn
      ? { arn: edge.certificateArn, names: Object.values(HOST_LABELS).map((label) => `${label}.${edge.domainName}`) }
      : undefined,
    hostedZone: edge.hostedZoneId ? { id: edge.hostedZoneId, domain: edge.domainName } : undefined,
    images: [
      { ...config.redis.ami, field: 'redis.ami' },
      ...(config.redis.relaunch?.ami ? [{ ...config.redis.relaunch.ami, field: 'redis.relaunch.ami' }] : []),
    ],
    parameters: [
      ...[...new Set(config.batch.logMetrics.queries.map((q) => q.apiKeyParameterName))].map((name) => ({ name, secure: true, usedBy: 'batch.logMetrics (API key)' })),
      { name: RESOLVER_AMI_PARAMETER, secure: false, usedBy: 'resolvers (image)' },
    ],
    secrets: [],
    bootstrap: {
      regions: [...new Set([config.region, HEALTH_CHECK_METRICS_REGION])],
      qualifier: config.ci.bootstrapQualifier,
      minVersion: MIN_BOOTSTRAP_VERSION,
    },
    instanceTypes: [
      { type: config.redis.instanceType, azs: config.availabilityZones, usedBy: 'redis' },
      { type: config.resolvers.instanceType, azs: config.availabilityZones.slice(0, config.resolvers.count), usedBy: 'resolvers' },
    ],
    networkStack: stackNameOf(config.name, 'network'),
    tsdbStack: stackNameOf(config.name, 'tsdb'),
    newNetwork: { vpcs: 1, natGatewaysPerAz: natAzs.length > 0 ? 1 : 0, elasticIps: natAzs.length },
    kinesisShards: config.tsdb.stream.mode === 'PROVISIONED' ? config.tsdb.stream.shardCount : 0,
  };
}
