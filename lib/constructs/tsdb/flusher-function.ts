import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config/schema';
import { PlatformFunction } from '../common/platform-function';
import type { RedisAccess } from './redis-access';
import { grantWindowWrites } from './table-access';
import { acknowledgeFunctionFindings } from './nag-acknowledgements';
import { tsdbSettingsEnvironment } from './tsdb-function-env';

export interface FlusherFunctionProps {
  readonly config: EnvConfig;
  readonly table: dynamodb.ITableV2;
  readonly redis: RedisAccess;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
}

/** On a schedule: idle Redis windows -> DynamoDB, with their rollups. */
export class FlusherFunction extends Construct {
  readonly function: lambda.IFunction;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: FlusherFunctionProps) {
    super(scope, id);
    const { config } = props;
    const fn = new PlatformFunction(this, 'Handler', {
      config,
      entry: 'lambda/tsdb/flusher.ts',
      description: 'TSDB flusher: idle Redis windows -> DynamoDB, rollup tiers',
      serviceName: 'tsdb-flusher',
      memoryMiB: 1024,
      timeout: Duration.minutes(Math.min(config.tsdb.flushScheduleMinutes, 15)),
      // One run at a time: overlapping runs would only move the same windows twice.
      reservedConcurrentExecutions: 1,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [props.securityGroup],
      environment: {
        ...tsdbSettingsEnvironment(config),
        ...props.redis.environment,
        TABLE_NAME: props.table.tableName,
        IDLE_FLUSH_MINUTES: String(config.tsdb.idleFlushMinutes),
      },
    }).function;
    props.redis.grantTo(fn);
    grantWindowWrites(props.table, fn);
    this.schedule = new events.Rule(this, 'Schedule', {
      description: 'Runs the TSDB flusher',
      schedule: events.Schedule.rate(Duration.minutes(config.tsdb.flushScheduleMinutes)),
    });
    this.schedule.addTarget(new targets.LambdaFunction(fn, { retryAttempts: 0 }));
    acknowledgeFunctionFindings(fn, { inVpc: true, encrypts: true });
    this.function = fn;
  }
}
