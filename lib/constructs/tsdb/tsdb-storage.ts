import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { statefulRemovalPolicy } from '../../platform/policies';
import { tableBilling } from '../data/table-billing';
import { grantKeyUse, grantTableActions } from '../data/key-use';

/** Archive objects live under this prefix (lambda/tsdb/archive-keys.ts). */
const ARCHIVE_PREFIX = 'v1/';

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
  /** The platform data key every store here is encrypted with. */
  readonly key: kms.IKey;
  private readonly config: EnvConfig;

  constructor(scope: Construct, id: string, props: TsdbStorageProps) {
    super(scope, id);
    const { config, key } = props;
    this.config = config;
    this.key = key;
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

  /** Producers (the api service): put records on the write-ahead log, nothing else. */
  grantProduce(grantee: iam.IGrantable): void {
    this.stream.grant(grantee, 'kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary');
    grantKeyUse(this.stream.encryptionKey, grantee, 'produce');
  }

  /** Window moves merge fields (UpdateItem) or create the item (PutItem); nothing else. */
  grantWindowWrites(grantee: iam.IGrantable): void {
    grantTableActions(this.table, grantee, ['dynamodb:UpdateItem', 'dynamodb:PutItem']);
  }

  /** The read path fetches windows by key, 100 per call. */
  grantWindowReads(grantee: iam.IGrantable): void {
    grantTableActions(this.table, grantee, ['dynamodb:BatchGetItem', 'dynamodb:GetItem']);
  }

  /** The exporter: PutObject under the archive prefix, SSE-KMS with the data key. */
  grantArchiveWrites(role: iam.IRole): void {
    this.grantArchiveObjects(role, 's3:PutObject');
    grantKeyUse(this.key, role, 'publish');
  }

  /** The reader: GetObject under the archive prefix, decrypted with the data key. */
  grantArchiveReads(role: iam.IRole): void {
    this.grantArchiveObjects(role, 's3:GetObject');
    grantKeyUse(this.key, role, 'decrypt');
  }

  /**
   * One object action under the archive prefix, named by the bucket's fixed name (no cross-stack
   * token). Object keys are made per series and window at run time, so the ARN ends in a wildcard;
   * it is acknowledged for exactly that ARN on this role's policy.
   */
  private grantArchiveObjects(role: iam.IRole, action: 's3:PutObject' | 's3:GetObject'): void {
    const objects = `arn:aws:s3:::${archiveBucketName(this.config)}/${ARCHIVE_PREFIX}*`;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [action], resources: [objects] }));
    const policy = role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (policy) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${objects}]`,
        reason: `Only ${action} on archive objects under ${ARCHIVE_PREFIX}: their keys are made per series and window at run time.`,
      });
    }
  }
}
