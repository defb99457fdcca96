import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import type { DataContract, NetworkContract } from '../platform/contracts';
import { DataKey } from '../constructs/data/data-key';
import { LogsBucket } from '../constructs/data/logs-bucket';
import { TsdbStorage } from '../constructs/tsdb/tsdb-storage';
import { BatchStorage } from '../constructs/batch/batch-storage';
import { ContainerRepositories } from '../constructs/services/container-repositories';
import { PostgresDatabase } from '../constructs/database/postgres-database';

export interface DataStackProps extends PlatformStackProps {
  readonly network: NetworkContract;
}

/**
 * Everything stateful: the data key, the metrics stream, the series table, the archive and log buckets,
 * the batch tables, PostgreSQL and the image repositories. Kept apart from stateless stacks so those can
 * be replaced freely; every resource has an explicit removal policy and a logical ID pinned by
 * test/lib/stacks/logical-ids.test.ts.
 */
export class DataStack extends PlatformStack implements DataContract {
  readonly dataKey: kms.IKey;
  readonly logsBucket: s3.IBucket;
  readonly tsdb: TsdbStorage;
  /** Batch jobs' inventory and ledger tables and the batch image repository. */
  readonly batch: BatchStorage;
  /** The service's main PostgreSQL (RDS) and its rotated master secret. */
  readonly database: PostgresDatabase;
  /** ECR repositories of the api and web images. */
  readonly serviceRepositories: ContainerRepositories;

  constructor(scope: Construct, props: DataStackProps) {
    super(scope, 'data', { description: 'Stateful data: KMS key, Kinesis stream, DynamoDB table, S3 buckets, PostgreSQL, ECR repositories', ...props });
    const { config } = this;
    const { vpc, securityGroups } = props.network;
    this.dataKey = new DataKey(this, 'DataKey', { config }).key;
    this.logsBucket = new LogsBucket(this, 'Logs', { config }).bucket;
    this.tsdb = new TsdbStorage(this, 'Tsdb', { config, key: this.dataKey, logsBucket: this.logsBucket });
    this.batch = new BatchStorage(this, 'Batch', { config, key: this.dataKey });
    this.database = new PostgresDatabase(this, 'Database', {
      config, vpc,
      securityGroup: securityGroups.database,
      rotationSecurityGroup: securityGroups.databaseRotation,
      key: this.dataKey,
    });
    // Construct id kept from when these were the "app" repositories: it names their logical IDs.
    this.serviceRepositories = new ContainerRepositories(this, 'AppRepositories', { config, key: this.dataKey });
  }
}
