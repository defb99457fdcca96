import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import type { DataContract, NetworkContract, RedisEndpoints, TsdbContract } from '../platform/contracts';
import { ExporterFunction } from '../constructs/tsdb/exporter-function';
import { FlusherFunction } from '../constructs/tsdb/flusher-function';
import { ReaderFunction } from '../constructs/tsdb/reader-function';
import { RedisAccess } from '../constructs/tsdb/redis-access';
import { RejectedRecords } from '../constructs/tsdb/rejected-records';
import { WriterFunction } from '../constructs/tsdb/writer-function';

export interface TsdbStackProps extends PlatformStackProps {
  readonly network: NetworkContract;
  readonly data: DataContract;
  readonly redis: RedisEndpoints;
}

/** TSDB functions: writer, flusher, exporter, reader (the stores they use live in the data stack). */
export class TsdbStack extends PlatformStack implements TsdbContract {
  readonly writerFunction: lambda.IFunction;
  readonly flusherFunction: lambda.IFunction;
  readonly exporterFunction: lambda.IFunction;
  /** The api service invokes this with {series, from, to, step?}. */
  readonly reader: ReaderFunction;
  readonly readerFunction: lambda.IFunction;
  readonly rejectedRecords: RejectedRecords;

  constructor(scope: Construct, props: TsdbStackProps) {
    super(scope, 'tsdb', { description: 'TSDB functions: writer, flusher, exporter, reader', ...props });
    const { config } = this;
    const { vpc, securityGroups } = props.network;
    const storage = props.data.tsdb;
    const redis = new RedisAccess(this, 'RedisAccess', props.redis);
    const shared = { config, storage, redis, vpc, securityGroup: securityGroups.tsdbFunctions };
    this.rejectedRecords = new RejectedRecords(this, 'RejectedRecords', { key: props.data.dataKey });
    this.writerFunction = new WriterFunction(this, 'Writer', { ...shared, rejected: this.rejectedRecords }).function;
    this.flusherFunction = new FlusherFunction(this, 'Flusher', shared).function;
    this.exporterFunction = new ExporterFunction(this, 'Exporter', { config, storage, vpc, rejected: this.rejectedRecords }).function;
    this.reader = new ReaderFunction(this, 'Reader', shared);
    this.readerFunction = this.reader.function;
  }
}
