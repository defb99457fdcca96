import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { BatchStorage } from '../constructs/batch/batch-storage';
import type { PostgresDatabase } from '../constructs/database/postgres-database';
import type { PublicEndpoint } from '../constructs/edge/public-endpoint';
import type { SecurityGroups } from '../constructs/network/security-groups';
import type { TierRouteTables } from '../constructs/network/platform-vpc';
import type { ContainerRepositories } from '../constructs/services/container-repositories';
import type { ContainerService } from '../constructs/services/container-service';
import type { ReaderFunction } from '../constructs/tsdb/reader-function';
import type { TsdbStorage } from '../constructs/tsdb/tsdb-storage';

/*
 * One typed contract per producing stack: what it offers the stacks after it. A consumer's props name
 * the contract, never the producing stack's class, so a stack can only use what its producer promises
 * (lib/platform/environment.ts wires them; docs/architecture.md shows the graph).
 */

/** NetworkStack: where everything is placed. */
export interface NetworkContract {
  readonly vpc: ec2.IVpc;
  readonly securityGroups: SecurityGroups;
  /** Route tables per subnet tier (the Redis VIP routes go into the private ones). */
  readonly routeTables: TierRouteTables;
}

/** DataStack: the stateful stores, each construct owning its grants. */
export interface DataContract {
  readonly dataKey: kms.IKey;
  readonly logsBucket: s3.IBucket;
  readonly tsdb: TsdbStorage;
  readonly batch: BatchStorage;
  readonly database: PostgresDatabase;
  readonly serviceRepositories: ContainerRepositories;
}

/** RedisStack: how clients reach the shards. */
export interface RedisEndpoints {
  /** Each shard's virtual IP, index = shard number. */
  readonly shardVips: readonly string[];
  /** Redis AUTH (generated, KMS-encrypted); clients read it at start. */
  readonly authSecret: secretsmanager.ISecret;
}

/** TsdbStack: the functions (monitoring watches them; the api invokes the reader). */
export interface TsdbContract {
  readonly reader: ReaderFunction;
  readonly writerFunction: lambda.IFunction;
  readonly flusherFunction: lambda.IFunction;
  readonly exporterFunction: lambda.IFunction;
  readonly readerFunction: lambda.IFunction;
}

/** ServicesStack: the api and web services behind their public endpoints. */
export interface ServicesContract {
  readonly api: ContainerService;
  readonly web: ContainerService;
  readonly apiEndpoint: PublicEndpoint;
  readonly webEndpoint: PublicEndpoint;
}

/** BatchStack and DnsStack: what monitoring routes and draws. */
export interface AlarmSource {
  readonly alarms: readonly cloudwatch.IAlarm[];
}

export interface BatchContract extends AlarmSource {
  readonly deadLetterQueues: readonly sqs.IQueue[];
  readonly undeliverableNotifications: sqs.IQueue;
}
