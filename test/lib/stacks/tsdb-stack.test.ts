/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation templates are untyped JSON */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { environments } from '../../../config';
import { validateEnvConfig } from '../../../lib/config-schema/load';
import { archiveBucketName } from '../../../lib/constructs/tsdb/tsdb-storage';
import { ENVIRONMENTS, defaultPlatform, template } from '../../support/platform';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

function functionByService(env: string, service: string): [string, Record<string, any>] {
  const resources = template(env, 'tsdb').toJSON().Resources as Resources;
  const found = Object.entries(resources).find(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === service);
  if (!found) throw new Error(`no ${service} function in ${env}`);
  return [found[0], found[1].Properties];
}

function policyStatementsOf(env: string, functionLogicalId: string): Array<Record<string, any>> {
  const resources = template(env, 'tsdb').toJSON().Resources as Resources;
  const fn = resources[functionLogicalId]!;
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((ref: any) => ref.Ref === roleId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement);
}

const actionsOf = (statements: Array<Record<string, any>>) => statements.flatMap((s) => [s.Action].flat());

describe.each(ENVIRONMENTS)('TSDB stack (%s)', (env) => {
  const config = validateEnvConfig(`${env}.ts`, environments[env]);
  const writer = config.tsdb.writer;

  it('exposes the four functions for the api service and monitoring', () => {
    const stack = defaultPlatform().env(env).tsdb;
    for (const fn of [stack.writerFunction, stack.flusherFunction, stack.exporterFunction, stack.readerFunction]) expect(fn.functionArn).toBeDefined();
  });

  it('runs every handler on ARM64, Node 24, with tracing and the TSDB settings', () => {
    for (const service of ['tsdb-writer', 'tsdb-flusher', 'tsdb-exporter', 'tsdb-reader']) {
      const [, props] = functionByService(env, service);
      expect(props.Architectures).toEqual(['arm64']);
      expect(props.Runtime).toBe('nodejs24.x');
      expect(props.Handler).toBe('index.handler'); // index.mjs, bundled in-process (handler-build.ts)
      expect(props.Environment.Variables.NODE_OPTIONS).toBeUndefined(); // no runtime source maps: cold start
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
      expect(JSON.parse(props.Environment.Variables.TIERS)).toEqual([[60, 86_400], [300, 604_800], [3600, 2_592_000], [86_400, 31_536_000]]);
      expect(props.Environment.Variables.FLUSH_POINTS).toBe(String(config.tsdb.flushPoints));
    }
  });

  it('puts the functions that reach Redis in the VPC with the TSDB security group, and the exporter in the VPC with its own', () => {
    for (const service of ['tsdb-writer', 'tsdb-flusher', 'tsdb-reader']) {
      const [, props] = functionByService(env, service);
      expect(props.VpcConfig.SecurityGroupIds).toHaveLength(1);
      expect(JSON.stringify(props.VpcConfig.SecurityGroupIds)).toMatch(/TsdbFunctions/);
      expect(props.Environment.Variables.REDIS_SHARD_VIPS.split(',')).toHaveLength(config.redis.shardCount);
    }
    // Landing-zone control (every function in a VPC); the exporter reaches only AWS APIs, never Redis.
    const exporterGroups = JSON.stringify(functionByService(env, 'tsdb-exporter')[1].VpcConfig.SecurityGroupIds);
    expect(exporterGroups).toMatch(/ExporterSecurityGroup/);
    expect(exporterGroups).not.toMatch(/TsdbFunctions/);
  });

  it('lets the Redis clients read the AUTH secret named in their environment', () => {
    for (const service of ['tsdb-writer', 'tsdb-flusher', 'tsdb-reader']) {
      const [id, props] = functionByService(env, service);
      expect(props.Environment.Variables.REDIS_AUTH_SECRET_ARN).toBeDefined();
      expect(actionsOf(policyStatementsOf(env, id))).toContain('secretsmanager:GetSecretValue');
    }
  });

  it('reads Kinesis with the configured batching, bisect, bounded retries, partial responses and a failure destination', () => {
    const [writerId] = functionByService(env, 'tsdb-writer');
    template(env, 'tsdb').hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: writerId },
      BatchSize: writer.batchSize,
      MaximumBatchingWindowInSeconds: writer.maxBatchingWindowS,
      ParallelizationFactor: writer.parallelizationFactor,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: writer.retryAttempts,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: { Ref: Match.stringLikeRegexp('RejectedRecordsTopic') } } },
    });
  });

  it('feeds the exporter TTL deletions only', () => {
    const [exporterId] = functionByService(env, 'tsdb-exporter');
    const mapping = Object.values(template(env, 'tsdb').toJSON().Resources as Resources)
      .find((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties.FunctionName.Ref === exporterId)!;
    expect(JSON.parse(mapping.Properties.FilterCriteria.Filters[0].Pattern)).toEqual({
      eventName: ['REMOVE'], userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] },
    });
    expect(mapping.Properties.BisectBatchOnFunctionError).toBe(true);
    expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it('schedules the flusher and lets only one run at a time', () => {
    const [flusherId, props] = functionByService(env, 'tsdb-flusher');
    expect(props.ReservedConcurrentExecutions).toBe(1);
    template(env, 'tsdb').hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${config.tsdb.flushScheduleMinutes} minutes)`,
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [flusherId, 'Arn'] } })],
    });
  });

  it('grants each function only what it does', () => {
    const [writerId] = functionByService(env, 'tsdb-writer');
    const [readerId] = functionByService(env, 'tsdb-reader');
    const [exporterId] = functionByService(env, 'tsdb-exporter');
    const writerActions = actionsOf(policyStatementsOf(env, writerId));
    expect(writerActions).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:PutItem', 'sns:Publish']));
    expect(writerActions).not.toContain('dynamodb:DeleteItem');
    expect(writerActions).not.toContain('dynamodb:Scan');
    const readerActions = actionsOf(policyStatementsOf(env, readerId));
    expect(readerActions).toEqual(expect.arrayContaining(['dynamodb:BatchGetItem', 's3:GetObject']));
    expect(readerActions.filter((a: string) => /^(dynamodb|s3|kms):.*(Put|Update|Delete|Write|Encrypt|GenerateDataKey)/.test(a))).toEqual([]);
    const exporterStatements = policyStatementsOf(env, exporterId);
    const put = exporterStatements.find((s) => s.Action === 's3:PutObject')!;
    expect(put.Resource).toBe(`arn:aws:s3:::${archiveBucketName(config)}/v1/*`);
    expect(actionsOf(exporterStatements)).not.toContain('s3:DeleteObject');
  });

  it('keeps rejected and poison records encrypted for 14 days', () => {
    const t = template(env, 'tsdb');
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 14 * 86_400, SqsManagedSseEnabled: true });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', RawMessageDelivery: true });
  });

  it('gives the archive its fixed name, and stores stream, table and archive as configured', () => {
    const data = template(env, 'data');
    data.hasResourceProperties('AWS::S3::Bucket', { BucketName: archiveBucketName(config), VersioningConfiguration: { Status: 'Enabled' } });
    data.hasResourceProperties('AWS::Kinesis::Stream', { RetentionPeriodHours: config.tsdb.stream.retentionHours, StreamEncryption: { EncryptionType: 'KMS', KeyId: Match.anyValue() } });
    data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'series', KeyType: 'HASH' }, { AttributeName: 'window', KeyType: 'RANGE' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'OLD_IMAGE' },
    });
  });
});
