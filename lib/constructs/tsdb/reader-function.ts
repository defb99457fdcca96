import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config/schema';
import { PlatformFunction } from '../common/platform-function';
import type { RedisAccess } from './redis-access';
import { grantArchiveReads } from './archive-access';
import { acknowledgeFunctionFindings } from './nag-acknowledgements';
import { grantWindowReads } from './table-access';
import { tsdbSettingsEnvironment } from './tsdb-function-env';

export interface ReaderFunctionProps {
  readonly config: EnvConfig;
  readonly table: dynamodb.ITableV2;
  readonly archive: s3.IBucket;
  readonly archiveKey: kms.IKey;
  readonly redis: RedisAccess;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
}

/** The read path the api service invokes: series for a range from Redis, DynamoDB or S3 by age. */
export class ReaderFunction extends Construct {
  readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: ReaderFunctionProps) {
    super(scope, id);
    const { config } = props;
    const fn = new PlatformFunction(this, 'Handler', {
      config,
      entry: 'lambda/tsdb/reader.ts',
      description: 'TSDB reader: series for a time range from Redis, DynamoDB and S3',
      serviceName: 'tsdb-reader',
      memoryMiB: 1024,
      timeout: Duration.seconds(30),
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [props.securityGroup],
      environment: {
        ...tsdbSettingsEnvironment(config),
        ...props.redis.environment,
        TABLE_NAME: props.table.tableName,
        ARCHIVE_BUCKET: props.archive.bucketName,
      },
    }).function;
    props.redis.grantTo(fn);
    grantWindowReads(props.table, fn);
    grantArchiveReads(config, props.archiveKey, fn.role!);
    acknowledgeFunctionFindings(fn, { inVpc: true, encrypts: false });
    this.function = fn;
  }
}
