import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { grantArchiveReads } from './archive-access';
import { acknowledgeFunctionFindings } from './nag-acknowledgements';
import { shardFunction, type ShardFunctionProps } from './shard-function';
import { grantWindowReads } from './table-access';

export interface ReaderFunctionProps extends ShardFunctionProps {
  readonly archive: s3.IBucket;
  readonly archiveKey: kms.IKey;
}

/** The read path the api service invokes: series for a range from Redis, DynamoDB or S3 by age. */
export class ReaderFunction extends Construct {
  readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: ReaderFunctionProps) {
    super(scope, id);
    const { config } = props;
    const fn = shardFunction(this, props, {
      entry: 'lambda/tsdb/reader.ts',
      description: 'TSDB reader: series for a time range from Redis, DynamoDB and S3',
      serviceName: 'tsdb-reader',
      memoryMiB: 1024,
      timeout: Duration.seconds(30),
      environment: { ARCHIVE_BUCKET: props.archive.bucketName },
    });
    grantWindowReads(props.table, fn);
    grantArchiveReads(config, props.archiveKey, fn.role!);
    acknowledgeFunctionFindings(fn, { inVpc: true, encrypts: false });
    this.function = fn;
  }
}
