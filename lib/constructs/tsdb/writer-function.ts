import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config/schema';
import { PlatformFunction } from '../common/platform-function';
import type { RejectedRecords } from './rejected-records';
import type { RedisAccess } from './redis-access';
import { grantWindowWrites } from './table-access';
import { acknowledgeFunctionFindings } from './nag-acknowledgements';
import { tsdbSettingsEnvironment } from './tsdb-function-env';

export interface WriterFunctionProps {
  readonly config: EnvConfig;
  readonly stream: kinesis.IStream;
  readonly table: dynamodb.ITableV2;
  readonly rejected: RejectedRecords;
  readonly redis: RedisAccess;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
}

/** Kinesis -> writer Lambda -> Redis shards (and full windows on to DynamoDB). */
export class WriterFunction extends Construct {
  readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: WriterFunctionProps) {
    super(scope, id);
    const { config, redis } = props;
    const writer = config.tsdb.writer;
    const fn = new PlatformFunction(this, 'Handler', {
      config,
      entry: 'lambda/tsdb/writer.ts',
      description: 'TSDB writer: Kinesis metric records -> Redis shards -> DynamoDB',
      serviceName: 'tsdb-writer',
      memoryMiB: writer.memoryMiB,
      timeout: Duration.minutes(1),
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [props.securityGroup],
      environment: {
        ...tsdbSettingsEnvironment(config),
        ...redis.environment,
        TABLE_NAME: props.table.tableName,
        REJECTED_TOPIC_ARN: props.rejected.topic.topicArn,
        REPLICA_TIMEOUT_MS: String(writer.replicaTimeoutMs),
      },
    }).function;
    redis.grantTo(fn);
    grantWindowWrites(props.table, fn);
    props.rejected.topic.grantPublish(fn);
    fn.addEventSource(new sources.KinesisEventSource(props.stream, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: writer.batchSize,
      maxBatchingWindow: Duration.seconds(writer.maxBatchingWindowS),
      parallelizationFactor: writer.parallelizationFactor,
      bisectBatchOnError: true,
      retryAttempts: writer.retryAttempts,
      // A record older than the stream's retention is gone anyway; stop retrying it before then.
      maxRecordAge: Duration.hours(Math.min(config.tsdb.stream.retentionHours, 168)),
      reportBatchItemFailures: true,
      onFailure: new sources.SnsDlq(props.rejected.topic),
    }));
    acknowledgeFunctionFindings(fn, { inVpc: true, encrypts: true });
    this.function = fn;
  }
}
