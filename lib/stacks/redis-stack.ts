import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { FailoverAgentBundle } from '../constructs/redis/failover-agent-bundle';
import { RedisAuth } from '../constructs/redis/redis-auth';
import { HostMetricsLogGroup } from '../constructs/monitoring/host-metrics-log-group';
import { RedisNodeDelivery } from '../constructs/redis/redis-node-delivery';
import { RedisNodeRole } from '../constructs/redis/redis-node-role';
import { ShardPair } from '../constructs/redis/shard-pair';
import type { SecurityGroups } from '../constructs/network/security-groups';
import { shardTopology } from '../model/redis-topology';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import type { RedisEndpoints } from '../platform/contracts';

export interface RedisStackProps extends PlatformStackProps {
  readonly vpc: ec2.IVpc;
  readonly securityGroups: SecurityGroups;
}

/** Redis shards: active/standby EC2 pairs under keepalived with VIP routes. */
export class RedisStack extends PlatformStack {
  /** Redis AUTH (generated, KMS-encrypted); clients read it at start. */
  readonly authSecret: secretsmanager.ISecret;
  /** Each shard's virtual IP, index = shard number. */
  readonly shardVips: string[];
  readonly shards: ShardPair[];
  /** How clients reach the shards: the contract TsdbStack and ServicesStack consume. */
  readonly endpoints: RedisEndpoints;

  constructor(scope: Construct, props: RedisStackProps) {
    super(scope, 'redis', { description: 'Redis shards: active/standby EC2 pairs under keepalived with VIP routes', ...props });
    const { vpc } = props;
    const topology = shardTopology(this.config);
    this.shardVips = topology.map((s) => s.vip);
    const privateSubnets = vpc.privateSubnets;

    const auth = new RedisAuth(this, 'Auth', { config: this.config });
    this.authSecret = auth.secret;
    this.endpoints = { shardVips: this.shardVips, authSecret: this.authSecret };
    const agent = new FailoverAgentBundle(this, 'FailoverAgent');
    // Every private subnet's table: services, functions and batch jobs in any AZ reach every shard.
    const routeTableIds = privateSubnets.map((s) => s.routeTable.routeTableId);
    const { role } = new RedisNodeRole(this, 'NodeRole', { routeTableIds, authSecret: auth.secret, agent });
    new HostMetricsLogGroup(this, 'HostMetrics', { config: this.config, role: 'redis' }).grantPublish(role);
    const delivery = new RedisNodeDelivery(this, 'Delivery', { config: this.config, authSecret: auth.secret, agent, routeTableIds });
    this.shards = topology.map((shard) => new ShardPair(this, `Shard${shard.index}`, {
      config: this.config, shard, vpc, privateSubnets, redisSecurityGroup: props.securityGroups.redis, role, delivery, routeTableIds,
    }));
  }
}
