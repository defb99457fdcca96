import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import { ExporterFunction } from '../constructs/tsdb/exporter-function';
import { FlusherFunction } from '../constructs/tsdb/flusher-function';
import { ReaderFunction } from '../constructs/tsdb/reader-function';
import { RedisAccess } from '../constructs/tsdb/redis-access';
import { RejectedRecords } from '../constructs/tsdb/rejected-records';
import { WriterFunction } from '../constructs/tsdb/writer-function';
import type { DataStack } from './data-stack';
import type { NetworkStack } from './network-stack';

export interface TsdbStackProps extends PlatformStackProps {
  readonly network: NetworkStack;
  readonly data: DataStack;
  /** From RedisStack: the shard VIPs and the AUTH secret. */
  readonly redis: { readonly shardVips: readonly string[]; readonly authSecret: secretsmanager.ISecret };
}

/** TSDB functions: writer, flusher, exporter, reader (the stores they use live in the data stack). */
export class TsdbStack extends PlatformStack {
  readonly writerFunction: lambda.IFunction;
  readonly flusherFunction: lambda.IFunction;
  readonly exporterFunction: lambda.IFunction;
  /** The api service invokes this with {series, from, to, step?}. */
  readonly readerFunction: lambda.IFunction;
  readonly rejectedRecords: RejectedRecords;

  constructor(scope: Construct, props: TsdbStackProps) {
    super(scope, 'tsdb', { description: 'TSDB functions: writer, flusher, exporter, reader', ...props });
    const { config } = this;
    const { vpc, securityGroups } = props.network;
    const { stream, table, archive } = props.data.tsdb;
    const redis = new RedisAccess(this, 'RedisAccess', props.redis);
    const inVpc = { vpc, securityGroup: securityGroups.tsdbFunctions };
    this.rejectedRecords = new RejectedRecords(this, 'RejectedRecords', { key: props.data.dataKey.key });
    this.writerFunction = new WriterFunction(this, 'Writer', { config, stream, table, redis, rejected: this.rejectedRecords, ...inVpc }).function;
    this.flusherFunction = new FlusherFunction(this, 'Flusher', { config, table, redis, ...inVpc }).function;
    this.exporterFunction = new ExporterFunction(this, 'Exporter', { config, table, archive, archiveKey: props.data.dataKey.key, rejected: this.rejectedRecords }).function;
    this.readerFunction = new ReaderFunction(this, 'Reader', { config, table, archive, archiveKey: props.data.dataKey.key, redis, ...inVpc }).function;
  }
}
