import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { PlatformFunction, type PlatformFunctionProps } from '../common/platform-function';
import type { RedisAccess } from './redis-access';
import type { TsdbStorage } from './tsdb-storage';
import { tsdbSettingsEnvironment } from './tsdb-function-env';

/** What every TSDB handler that reaches the Redis shards is given. */
export interface ShardFunctionProps {
  readonly config: EnvConfig;
  /** The stores (stream, series table, archive) in the data stack. */
  readonly storage: TsdbStorage;
  readonly redis: RedisAccess;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
}

/**
 * A TSDB handler that reaches the Redis shards (writer, flusher, reader): in the private subnets behind
 * the TSDB security group, with the TSDB settings, the shard VIPs, read access to the AUTH secret, and
 * the series table's name. `handler.environment` adds to that environment.
 */
export function shardFunction(
  scope: Construct,
  shared: ShardFunctionProps,
  handler: Omit<PlatformFunctionProps, 'config' | 'vpc' | 'vpcSubnets' | 'securityGroups'>,
): lambda.Function {
  const { config, redis } = shared;
  const fn = new PlatformFunction(scope, 'Handler', {
    ...handler,
    config,
    vpc: shared.vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    securityGroups: [shared.securityGroup],
    environment: { ...tsdbSettingsEnvironment(config), ...redis.environment, TABLE_NAME: shared.storage.table.tableName, ...handler.environment },
  }).function;
  redis.grantTo(fn);
  return fn;
}
