import type { Construct } from 'constructs';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import { DataKey } from '../constructs/data/data-key';
import { LogsBucket } from '../constructs/data/logs-bucket';
import { TsdbStorage } from '../constructs/tsdb/tsdb-storage';
import { BatchStorage } from '../constructs/batch/batch-storage';
import { ContainerRepositories } from '../constructs/services/container-repositories';
import { PostgresDatabase } from '../constructs/database/postgres-database';
import type { NetworkStack } from './network-stack';

export interface DataStackProps extends PlatformStackProps {
  readonly network: NetworkStack;
}

/**
 * Everything stateful: the data key, the metrics stream, the series table, the archive and log buckets.
 * Kept apart from stateless stacks so those can be replaced freely; every resource has an explicit
 * removal policy and a logical ID pinned by test/lib/stacks/logical-ids.test.ts.
 */
export class DataStack extends PlatformStack {
  readonly dataKey: DataKey;
  readonly logsBucket: LogsBucket;
  readonly tsdb: TsdbStorage;
  /** Batch jobs' inventory and ledger tables and the batch image repository. */
  readonly batch: BatchStorage;
  /** The service's main PostgreSQL (RDS) and its rotated master secret. */
  readonly database: PostgresDatabase;
  /** ECR repositories of the api and web images. */
  readonly serviceRepositories: ContainerRepositories;

  constructor(scope: Construct, props: DataStackProps) {
    super(scope, 'data', { description: 'Stateful data: KMS key, Kinesis stream, DynamoDB table, S3 buckets, PostgreSQL, ECR repositories', ...props });
    this.dataKey = new DataKey(this, 'DataKey', { config: this.config });
    this.logsBucket = new LogsBucket(this, 'Logs', { config: this.config });
    this.tsdb = new TsdbStorage(this, 'Tsdb', { config: this.config, key: this.dataKey.key, logsBucket: this.logsBucket.bucket });
    this.batch = new BatchStorage(this, 'Batch', { config: this.config, key: this.dataKey.key });
    this.database = new PostgresDatabase(this, 'Database', {
      config: this.config,
      vpc: props.network.vpc,
      securityGroup: props.network.securityGroups.database,
      rotationSecurityGroup: props.network.securityGroups.databaseRotation,
      key: this.dataKey.key,
    });
    this.serviceRepositories = new ContainerRepositories(this, 'AppRepositories', { config: this.config, key: this.dataKey.key });
  }
}
