import { Duration, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { statefulRemovalPolicy } from '../../platform/policies';
import { tableBilling } from '../data/table-billing';

/**
 * The archive's name is fixed (account and region make it unique) so policies in other stacks can name
 * its objects without a cross-stack token, and operators can find it.
 */
export function archiveBucketName(config: EnvConfig): string {
  return `monsaas-${config.name}-tsdb-archive-${config.account}-${config.region}`;
}

export interface TsdbStorageProps {
  readonly config: EnvConfig;
  readonly key: kms.IKey;
  readonly logsBucket: s3.IBucket;
}

/**
 * The TSDB's stateful stores: the Kinesis write-ahead log, the DynamoDB series table (TTL, stream of
 * expiries) and the S3 archive. Logical IDs here must never change (a test pins them).
 */
export class TsdbStorage extends Construct {
  readonly stream: kinesis.Stream;
  readonly table: dynamodb.TableV2;
  readonly archive: s3.Bucket;

  constructor(scope: Construct, id: string, props: TsdbStorageProps) {
    super(scope, id);
    const { config, key } = props;
    const removalPolicy = statefulRemovalPolicy(config);
    const { stream: streamCfg } = config.tsdb;
    this.stream = new kinesis.Stream(this, 'MetricsStream', {
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: key,
      retentionPeriod: Duration.hours(streamCfg.retentionHours),
      streamMode: streamCfg.mode === 'ON_DEMAND' ? kinesis.StreamMode.ON_DEMAND : kinesis.StreamMode.PROVISIONED,
      shardCount: streamCfg.mode === 'PROVISIONED' ? streamCfg.shardCount : undefined,
      shardLevelMetrics: [kinesis.ShardLevelMetrics.ALL],
      removalPolicy,
    });
    Validations.of(this.stream).acknowledge({
      id: 'AwsSolutions-KDS3',
      reason: 'The stream is encrypted with the platform customer-managed key (rotated, auditable), which is stronger than the aws/kinesis managed key.',
    });
    this.table = new dynamodb.TableV2(this, 'SeriesTable', {
      partitionKey: { name: 'series', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'window', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
      billing: tableBilling(config.tsdb.table),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      dynamoStream: dynamodb.StreamViewType.OLD_IMAGE,
      deletionProtection: config.deletionProtection,
      removalPolicy,
    });
    this.archive = new s3.Bucket(this, 'Archive', {
      bucketName: archiveBucketName(config),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: props.logsBucket,
      serverAccessLogsPrefix: 'archive/',
      removalPolicy,
      lifecycleRules: [
        {
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(config.tsdb.archive.infrequentAccessAfterDays) },
            { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(config.tsdb.archive.glacierAfterDays) },
          ],
          noncurrentVersionExpiration: Duration.days(config.tsdb.archive.noncurrentVersionDays),
        },
      ],
    });
  }
}
