import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { environments } from '../../../config';
import { validateEnvConfig } from '../../../lib/config-schema/load';
import { shardTopology } from '../../../lib/model/redis-topology';
import { template } from '../../support/platform';

const ENVS = ['staging', 'production'] as const;
/** The shared assembly the global setup synthesized (cdk-nag included: the security gate checks it for every stack). */
const t = (env: string): Template => template(env, 'monitoring');
const config = (env: string) => validateEnvConfig(`${env}.ts`, environments[env]);
type Resource = { Properties: Record<string, unknown> };
const alarms = (env: string) => Object.values(t(env).findResources('AWS::CloudWatch::Alarm')) as Resource[];
const alarmNamed = (env: string, name: string): Record<string, unknown> => {
  const found = alarms(env).find((a) => a.Properties.AlarmName === `monsaas-${env}-monitoring-${name}`);
  if (!found) throw new Error(`no alarm ${name} in ${env}: ${alarms(env).map((a) => a.Properties.AlarmName).join(', ')}`);
  return found.Properties;
};
/** The metrics an alarm reads, whether it is a plain metric alarm or a metric-math one. */
const metricsOf = (alarm: Record<string, unknown>): Array<{ name: string; namespace: string; dims: Record<string, unknown> }> => {
  if (alarm.MetricName) {
    return [{ name: alarm.MetricName as string, namespace: alarm.Namespace as string, dims: Object.fromEntries((alarm.Dimensions as Array<{ Name: string; Value: unknown }>).map((d) => [d.Name, d.Value])) }];
  }
  return (alarm.Metrics as Array<{ MetricStat?: { Metric: { MetricName: string; Namespace: string; Dimensions?: Array<{ Name: string; Value: unknown }> } } }>)
    .filter((m) => m.MetricStat)
    .map((m) => ({
      name: m.MetricStat!.Metric.MetricName,
      namespace: m.MetricStat!.Metric.Namespace,
      dims: Object.fromEntries((m.MetricStat!.Metric.Dimensions ?? []).map((d) => [d.Name, d.Value])),
    }));
};
const expressionOf = (alarm: Record<string, unknown>) =>
  (alarm.Metrics as Array<{ Expression?: string; ReturnData?: boolean }>).find((m) => m.ReturnData !== false && m.Expression)?.Expression;

describe.each(ENVS)('monitoring stack (%s)', (env) => {
  it('has an encrypted alarm topic (rotated key that CloudWatch and EventBridge may use) that refuses plain HTTP', () => {
    t(env).hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t(env).hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([
        Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
      ]) },
    });
    t(env).hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('subscribes the configured destinations: e-mail everywhere, the paging webhook only in production', () => {
    const subs = Object.values(t(env).findResources('AWS::SNS::Subscription')) as Resource[];
    const byProtocol = (p: string) => subs.filter((s) => s.Properties.Protocol === p).map((s) => s.Properties.Endpoint);
    expect(byProtocol('email')).toEqual(config(env).alarms.emails);
    expect(byProtocol('https')).toEqual(env === 'production' ? config(env).alarms.httpsEndpoints : []);
  });

  it('routes the state changes of every other stack\'s alarms of this environment to the topic', () => {
    const c = config(env);
    t(env).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: [{ prefix: `arn:aws:cloudwatch:${c.region}:${c.account}:alarm:monsaas-${env}-` }],
        detail: { alarmName: [{ 'anything-but': { prefix: `monsaas-${env}-monitoring` } }], state: { value: ['ALARM', 'OK'] } },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('AlarmTopic') }, InputTransformer: Match.anyValue() })],
    });
  });

  it('sends every alarm it defines to the topic, on ALARM and on OK', () => {
    expect(alarms(env).length).toBeGreaterThan(30);
    for (const alarm of alarms(env)) {
      expect(alarm.Properties.AlarmActions, String(alarm.Properties.AlarmName)).toEqual([{ Ref: expect.stringMatching(/^AlarmTopic/) }]);
      expect(alarm.Properties.OKActions, String(alarm.Properties.AlarmName)).toEqual([{ Ref: expect.stringMatching(/^AlarmTopic/) }]);
    }
  });

  it('alarms on NLB healthy hosts, ECS CPU, memory and running tasks of both services', () => {
    const c = config(env);
    for (const [name, svc] of [['api', c.services.api], ['web', c.services.web]] as const) {
      const healthy = alarmNamed(env, `${name}-Healthy-Tasks-Critical`);
      expect(healthy).toMatchObject({ Threshold: Math.max(1, svc.minCount - 1), ComparisonOperator: 'LessThanThreshold' });
      expect(metricsOf(healthy).map((m) => [m.namespace, m.name])).toContainEqual(['AWS/NetworkELB', 'HealthyHostCount']);
      expect(alarmNamed(env, `${name}-CPU-Usage-Warning`)).toMatchObject({ Threshold: 85 });
      expect(metricsOf(alarmNamed(env, `${name}-CPU-Usage-Warning`))[0]).toMatchObject({ namespace: 'AWS/ECS', name: 'CPUUtilization' });
      expect(alarmNamed(env, `${name}-Memory-Usage-Warning`)).toMatchObject({ Threshold: 90 });
      expect(alarmNamed(env, `${name}-Running-Tasks-High-Warning`)).toMatchObject({ Threshold: svc.maxCount - 1, EvaluationPeriods: 15 });
    }
  });

  it('alarms on RDS CPU and free storage (10 % of the allocation)', () => {
    expect(alarmNamed(env, 'rds-CPU-Usage-Warning')).toMatchObject({ Threshold: 80 });
    const storage = alarmNamed(env, 'rds-Min-Usage-Count-Critical');
    expect(storage.Threshold).toBe(Math.round(config(env).database.allocatedStorageGiB * 0.1 * 1024 ** 3));
    expect(metricsOf(storage)[0]).toMatchObject({ namespace: 'AWS/RDS', name: 'FreeStorageSpace' });
  });

  it('alarms on Lambda errors and throttles of every TSDB function and on the writer\'s iterator age', () => {
    for (const fn of ['writer', 'flusher', 'exporter', 'reader']) {
      expect(metricsOf(alarmNamed(env, `${fn}-Fault-Count-Critical`))[0]).toMatchObject({ namespace: 'AWS/Lambda', name: 'Errors' });
      expect(metricsOf(alarmNamed(env, `${fn}-Throttled-Count-Critical`))[0]).toMatchObject({ namespace: 'AWS/Lambda', name: 'Throttles' });
    }
    expect(alarmNamed(env, 'writer-Iterator-Age-Max-Warning')).toMatchObject({ Threshold: 60_000 });
    expect(alarmNamed(env, 'writer-Iterator-Age-Max-Critical')).toMatchObject({ Threshold: 300_000 });
    expect(metricsOf(alarmNamed(env, 'writer-Iterator-Age-Max-Critical'))[0]).toMatchObject({ namespace: 'AWS/Lambda', name: 'IteratorAge' });
  });

  it('alarms on the stream\'s read delay and hot shards, and on DynamoDB throttles and errors', () => {
    expect(metricsOf(alarmNamed(env, 'metrics-stream-Iterator-Age-Max-Critical'))[0]).toMatchObject({ namespace: 'AWS/Kinesis', name: 'GetRecords.IteratorAgeMilliseconds' });
    expect(metricsOf(alarmNamed(env, 'metrics-stream-WriteThroughputExceeded-Warning'))[0]).toMatchObject({ name: 'WriteProvisionedThroughputExceeded' });
    expect(metricsOf(alarmNamed(env, 'metrics-stream-ReadThroughputExceeded-Warning'))[0]).toMatchObject({ name: 'ReadProvisionedThroughputExceeded' });
    expect(metricsOf(alarmNamed(env, 'series-table-Read-Throttled-Events-Critical')).map((m) => m.namespace)).toContain('AWS/DynamoDB');
    expect(metricsOf(alarmNamed(env, 'series-table-Write-Throttled-Events-Critical')).map((m) => m.namespace)).toContain('AWS/DynamoDB');
    expect(metricsOf(alarmNamed(env, 'series-table-SystemError-Count-Critical')).map((m) => m.name)).toContain('SystemErrors');
  });

  it('alarms per Redis shard on memory, clients and the replication link', () => {
    for (const shard of shardTopology(config(env))) {
      const s = String(shard.index);
      const memory = alarmNamed(env, `redis-shard-${s}-memory`);
      expect(memory).toMatchObject({ Namespace: 'MonSaaS/Hosts', MetricName: 'RedisMemoryUsedPercent', Statistic: 'Maximum', Threshold: 85, ComparisonOperator: 'GreaterThanThreshold' });
      expect(metricsOf(memory)[0]!.dims).toEqual({ Environment: env, Shard: s });
      expect(alarmNamed(env, `redis-shard-${s}-clients`)).toMatchObject({ MetricName: 'RedisConnectedClients', Threshold: 8000 });
      expect(alarmNamed(env, `redis-shard-${s}-replication-link`)).toMatchObject({ MetricName: 'RedisMasterLinkUp', Statistic: 'Minimum', Threshold: 1, ComparisonOperator: 'LessThanThreshold' });
    }
  });

  it('alarms when keepalived or Redis is not running on any node, a silent node counting as down', () => {
    for (const shard of shardTopology(config(env))) {
      for (const node of shard.nodes) {
        const keepalived = alarmNamed(env, `redis-shard-${shard.index}-${node.role}-keepalived`);
        expect(keepalived).toMatchObject({ MetricName: 'ProcessCount', Statistic: 'Minimum', Threshold: 2, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching' });
        expect(metricsOf(keepalived)[0]!.dims).toEqual({ Environment: env, Shard: String(shard.index), Node: node.role, Process: 'keepalived' });
        expect(alarmNamed(env, `redis-shard-${shard.index}-${node.role}-redis-down`)).toMatchObject({ MetricName: 'RedisUp', TreatMissingData: 'breaching' });
      }
    }
  });

  it('alarms unless exactly one node of each shard holds the VIP (keepalived MASTER)', () => {
    for (const shard of shardTopology(config(env))) {
      const alarm = alarmNamed(env, `redis-shard-${shard.index}-master-count`);
      expect(expressionOf(alarm)).toBe('ABS(FILL(vipa, 0) + FILL(vipb, 0) - 1)');
      expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'breaching' });
      expect(metricsOf(alarm).map((m) => [m.name, m.dims.Node, m.dims.Shard])).toEqual([
        ['VipHeld', 'a', String(shard.index)], ['VipHeld', 'b', String(shard.index)],
      ]);
    }
  });

  it('alarms when the largest shard holds over 1.5x the mean key count', () => {
    const shards = shardTopology(config(env)).map((s) => `k${s.index}`).join(', ');
    const alarm = alarmNamed(env, 'redis-shard-balance');
    expect(expressionOf(alarm)).toBe(`MAX([${shards}]) / AVG([${shards}])`);
    expect(alarm).toMatchObject({ Threshold: 1.5, ComparisonOperator: 'GreaterThanThreshold' });
    expect(metricsOf(alarm).every((m) => m.name === 'RedisKeys')).toBe(true);
  });

  it('has one dashboard for the environment with the health-at-a-glance widgets', () => {
    const dashboards = Object.values(t(env).findResources('AWS::CloudWatch::Dashboard')) as Resource[];
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]!.Properties.DashboardName).toBe(`monsaas-${env}`);
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    for (const title of ['Alarms', 'Ingest rate', 'Writer lag', 'Failovers: VIP holder per node', 'Shard balance: keys per shard',
      'Resolvers: queries and answers', 'SERVFAIL %', 'Errors: functions', 'TCP retransmits', 'inter-AZ bytes', 'External checks (Route 53']) {
      expect(body, title).toContain(title);
    }
    expect(body).toContain('us-east-1'); // Route 53 health-check metrics live there
  });
});
