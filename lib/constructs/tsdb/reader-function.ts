import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { shardFunction, type ShardFunctionProps } from './shard-function';

export type ReaderFunctionProps = ShardFunctionProps;

/** The read path the api service invokes: series for a range from Redis, DynamoDB or S3 by age. */
export class ReaderFunction extends Construct {
  readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: ReaderFunctionProps) {
    super(scope, id);
    const fn = shardFunction(this, props, {
      entry: 'lambda/tsdb/reader.ts',
      description: 'TSDB reader: series for a time range from Redis, DynamoDB and S3',
      serviceName: 'tsdb-reader',
      memoryMiB: 1024,
      timeout: Duration.seconds(30),
      environment: { ARCHIVE_BUCKET: props.storage.archive.bucketName },
    });
    props.storage.grantWindowReads(fn);
    props.storage.grantArchiveReads(fn.role!);
    this.function = fn;
  }

  /** Invoke the function itself (grantInvoke would also allow every version and alias, ARN:*). */
  grantInvoke(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] }));
  }
}
