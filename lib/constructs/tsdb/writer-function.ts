import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type { RejectedRecords } from './rejected-records';
import { shardFunction, type ShardFunctionProps } from './shard-function';

export interface WriterFunctionProps extends ShardFunctionProps {
  readonly rejected: RejectedRecords;
}

/** Kinesis -> writer Lambda -> Redis shards (and full windows on to DynamoDB). */
export class WriterFunction extends Construct {
  readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: WriterFunctionProps) {
    super(scope, id);
    const { config } = props;
    const writer = config.tsdb.writer;
    const fn = shardFunction(this, props, {
      entry: 'lambda/tsdb/writer.ts',
      description: 'TSDB writer: Kinesis metric records -> Redis shards -> DynamoDB',
      serviceName: 'tsdb-writer',
      memoryMiB: writer.memoryMiB,
      timeout: Duration.minutes(1),
      environment: {
        REJECTED_TOPIC_ARN: props.rejected.topic.topicArn,
        REPLICA_TIMEOUT_MS: String(writer.replicaTimeoutMs),
      },
    });
    props.storage.grantWindowWrites(fn);
    props.rejected.grantPublish(fn);
    fn.addEventSource(new sources.KinesisEventSource(props.storage.stream, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: writer.batchSize,
      maxBatchingWindow: Duration.seconds(writer.maxBatchingWindowS),
      parallelizationFactor: writer.parallelizationFactor,
      bisectBatchOnError: true,
      retryAttempts: writer.retryAttempts,
      // A record older than the stream's retention is gone anyway; stop retrying it before then.
      maxRecordAge: Duration.hours(Math.min(config.tsdb.stream.retentionHours, 168)),
      reportBatchItemFailures: true,
      onFailure: props.rejected.failureDestination(),
    }));
    this.function = fn;
  }
}
