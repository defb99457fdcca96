import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { PlatformFunction } from '../common/platform-function';
import type { RejectedRecords } from './rejected-records';
import type { TsdbStorage } from './tsdb-storage';
import { tsdbSettingsEnvironment } from './tsdb-function-env';

export interface ExporterFunctionProps {
  readonly config: EnvConfig;
  /** The stores (series table stream, archive) in the data stack. */
  readonly storage: TsdbStorage;
  readonly rejected: RejectedRecords;
  /** The function runs in the private subnets (landing-zone control: every function in a VPC). */
  readonly vpc: ec2.IVpc;
}

/**
 * DynamoDB stream -> exporter -> S3 archive. Only TTL deletions reach the function (event filter on
 * the service principal). It talks to AWS APIs only (S3 through the gateway endpoint, KMS, SNS), so it
 * sits in the private subnets with HTTPS egress only, because landing-zone controls want every function
 * in a VPC.
 */
export class ExporterFunction extends Construct {
  readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: ExporterFunctionProps) {
    super(scope, id);
    const { config } = props;
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc: props.vpc, allowAllOutbound: false, description: 'TSDB exporter: HTTPS to AWS APIs' });
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs (S3 via the gateway endpoint, KMS, SNS)');
    const fn = new PlatformFunction(this, 'Handler', {
      config,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [securityGroup],
      entry: 'lambda/tsdb/exporter.ts',
      description: 'TSDB exporter: expired DynamoDB windows -> Gorilla-compressed S3 objects',
      serviceName: 'tsdb-exporter',
      memoryMiB: 512,
      timeout: Duration.minutes(1),
      environment: {
        ...tsdbSettingsEnvironment(config),
        ARCHIVE_BUCKET: props.storage.archive.bucketName,
        ARCHIVE_KMS_KEY_ID: props.storage.key.keyArn,
      },
    }).function;
    props.storage.grantArchiveWrites(fn.role!);
    props.rejected.grantPublish(fn);
    fn.addEventSource(new sources.DynamoEventSource(props.storage.table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(5),
      bisectBatchOnError: true,
      retryAttempts: 10,
      reportBatchItemFailures: true,
      onFailure: props.rejected.failureDestination(),
      filters: [lambda.FilterCriteria.filter({
        eventName: lambda.FilterRule.isEqual('REMOVE'),
        userIdentity: { type: lambda.FilterRule.isEqual('Service'), principalId: lambda.FilterRule.isEqual('dynamodb.amazonaws.com') },
      })],
    }));
    this.function = fn;
  }
}
