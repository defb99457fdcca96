import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { shardFunction, type ShardFunctionProps } from './shard-function';

export type FlusherFunctionProps = ShardFunctionProps;

/** On a schedule: idle Redis windows -> DynamoDB, with their rollups. */
export class FlusherFunction extends Construct {
  readonly function: lambda.IFunction;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: FlusherFunctionProps) {
    super(scope, id);
    const { config } = props;
    const fn = shardFunction(this, props, {
      entry: 'lambda/tsdb/flusher.ts',
      description: 'TSDB flusher: idle Redis windows -> DynamoDB, rollup tiers',
      serviceName: 'tsdb-flusher',
      memoryMiB: 1024,
      timeout: Duration.minutes(Math.min(config.tsdb.flushScheduleMinutes, 15)),
      // One run at a time: overlapping runs would only move the same windows twice.
      reservedConcurrentExecutions: 1,
      environment: { IDLE_FLUSH_MINUTES: String(config.tsdb.idleFlushMinutes) },
    });
    props.storage.grantWindowWrites(fn);
    this.schedule = new events.Rule(this, 'Schedule', {
      description: 'Runs the TSDB flusher',
      schedule: events.Schedule.rate(Duration.minutes(config.tsdb.flushScheduleMinutes)),
    });
    this.schedule.addTarget(new targets.LambdaFunction(fn, { retryAttempts: 0 }));
    this.function = fn;
  }
}
