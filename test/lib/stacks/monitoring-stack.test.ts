import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { environments } from '../../../config';
import { validateEnvConfig } from '../../../lib/config-schema/load';
import { shardTopology } from '../../../lib/model/redis-topology';
import { DASHBOARD_LOGICAL_ID } from '../../../lib/constructs/monitoring/on-call-dashboard';
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

  it('alarms on what the failover agents report: split brain per shard, a fenced or ineligible node', () => {
    for (const shard of shardTopology(config(env))) {
      const split = alarmNamed(env, `redis-shard-${shard.index}-split-brain`);
      expect(split).toMatchObject({ MetricName: 'RedisSplitBrain', Statistic: 'Maximum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      expect(split.AlarmDescription).toMatch(/Runbook: docs\/runbooks\/redis-failover\.md#split-brain$/);
      for (const node of shard.nodes) {
        const fenced = alarmNamed(env, `redis-shard-${shard.index}-${node.role}-fenced`);
        expect(fenced).toMatchObject({ MetricName: 'RedisDemotionUnproven', Threshold: 1, EvaluationPeriods: 1 });
        expect(metricsOf(fenced)[0]!.dims).toEqual({ Environment: env, Shard: String(shard.index), Node: node.role });
        expect(alarmNamed(env, `redis-shard-${shard.index}-${node.role}-not-eligible`)).toMatchObject({ MetricName: 'RedisEligible', Statistic: 'Maximum', ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching' });
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

  it('has one dashboard for the environment, under the logical id it was first deployed with', () => {
    const dashboards = t(env).findResources('AWS::CloudWatch::Dashboard');
    expect(Object.keys(dashboards)).toEqual([DASHBOARD_LOGICAL_ID]);
    expect(dashboards[DASHBOARD_LOGICAL_ID]!.Properties.DashboardName).toBe(`monsaas-${env}`);
  });

  it('first screen, full width: alarm status, then ingest, writer lag, failovers, then shard memory and error rates', () => {
    const rows = rowsOf(dashboard(env));
    expect(rows[0]!.map((w) => [w.type, w.properties.markdown, w.width])).toEqual([['text', `# monsaas ${env}: health`, 24]]);
    expect(rows[1]!.map((w) => [w.type, w.properties.title, w.width])).toEqual([
      ['alarm', 'Alarms: Redis pairs', 12], ['alarm', 'Alarms: pipeline, services, jobs, DNS', 12],
    ]);
    expect(rows.slice(2, 4).map((row) => row.map((w) => titleOf(w).replace(/ \(.*$|:.*$/, '')))).toEqual([
      ['Ingest rate', 'Writer lag', 'Failovers'],
      ['Shard memory', 'Error rates'],
    ]);
    for (const row of rows.slice(0, 4)) expect(row.reduce((sum, w) => sum + w.width, 0)).toBe(24);
    // Every one of them starts within the first 20 grid rows: one screen.
    expect(Math.max(...rows.slice(0, 4).flat().map((w) => w.y + w.height))).toBeLessThanOrEqual(20);
  });

  it('shows every alarm of the monitoring, batch and DNS stacks in the alarm status, at most 100 per widget (CloudWatch\'s limit)', () => {
    const count = (part: 'monitoring' | 'batch' | 'dns') => Object.keys(template(env, part).findResources('AWS::CloudWatch::Alarm')).length;
    const status = dashboard(env).widgets.filter((w) => w.type === 'alarm').map((w) => (w.properties.alarms as unknown[]).length);
    expect(status.reduce((a, b) => a + b, 0)).toBe(count('monitoring') + count('batch') + count('dns'));
    expect(Math.max(...status)).toBeLessThanOrEqual(100);
  });

  it('draws the writer lag thresholds (60 s warning, 5 min critical) and the 85 % shard memory line', () => {
    const annotations = (title: string) => (widgetTitled(env, title).properties.annotations as { horizontal: Array<{ value: number }> }).horizontal.map((a) => a.value);
    expect(annotations('Writer lag')).toEqual([60_000, 300_000]);
    expect(annotations('Shard memory')).toEqual([85]);
  });

  it('then one row per component, in the order an incident walks them, the library\'s service rows last', () => {
    const headers = dashboard(env).widgets.filter((w) => w.type === 'text' && /^## /.test(String(w.properties.markdown)))
      .map((w) => String(w.properties.markdown).replace(/^## /, '').replace(/ \(.*$|:.*$/, ''));
    expect(headers).toEqual(['Batch jobs', 'Queue depths', 'Redis pairs', 'Resolvers', 'TSDB functions', 'External checks', 'Managed services']);
    const section = (header: string) => sectionTitles(env, header);
    expect(section('Batch jobs')).toEqual(['Batch job runs', 'Batch job errors', 'Batch job duration (max ms)', 'Batch dead letters (messages in)']);
    expect(section('Queue depths')).toEqual(['Rejected records (queue depth)', 'Dead letters (queue depth)', 'Undeliverable notifications (queue depth)']);
    expect(section('Redis pairs')).toEqual(expect.arrayContaining(['keepalived processes per node', 'VIP ownership: masters per shard (must be 1)']));
    expect(section('Resolvers')).toEqual(['Resolvers: queries and answers (all)', 'Resolvers: SERVFAIL % per resolver', 'Resolvers: cache hit % per resolver']);
    expect(section('TSDB functions')).toEqual(['TSDB functions: invocations', 'TSDB functions: errors and throttles', 'TSDB functions: duration (p99 ms)', 'Iterator age of the stream consumers (ms)']);
    const body = JSON.stringify(dashboard(env));
    expect(body).toContain('### Fargate Service');
    expect(body).not.toContain('### Lambda Function'); // the library's Lambda rows graph an iterator age even without a stream
  });

  it('graphs batch runs, errors and durations of every job, and every job\'s dead letters', () => {
    const jobs = ['usage', 'notifications', 'retention', 'log-metrics'];
    expect(labelsOf(widgetTitled(env, 'Batch job runs'))).toEqual([...jobs, 'scheduler starts (all jobs, billing included)']);
    expect(labelsOf(widgetTitled(env, 'Batch job duration'))).toEqual(jobs);
    expect(labelsOf(widgetTitled(env, 'Dead letters (queue depth)'))).toEqual([...jobs, 'billing']);
    expect(metricNamesOf(widgetTitled(env, 'Rejected records'))).toEqual(['ApproximateNumberOfMessagesVisible']);
    expect(JSON.stringify(widgetTitled(env, 'Rejected records'))).toContain('RejectedRecordsQueue');
    expect(JSON.stringify(widgetTitled(env, 'Undeliverable notifications'))).toContain('UndeliverableNotificationsQueue');
  });

  it('counts masters per shard and keepalived per node of every shard, and SERVFAIL per resolver', () => {
    const shards = shardTopology(config(env));
    const masters = widgetTitled(env, 'VIP ownership').properties.metrics as unknown[][];
    expect(masters.filter((m) => JSON.stringify(m).includes('FILL(')).length).toBe(shards.length);
    expect(labelsOf(widgetTitled(env, 'keepalived processes'))).toEqual(shards.flatMap((s) => s.nodes.map((n) => n.name)));
    expect(labelsOf(widgetTitled(env, 'Failover agents'))).toEqual([
      ...shards.flatMap((s) => s.nodes.flatMap((n) => [`${n.name} eligible`, `${n.name} fenced`])),
      ...shards.map((s) => `shard ${s.index} split brain`),
    ]);
    expect(labelsOf(widgetTitled(env, 'Resolvers: SERVFAIL % per resolver'))).toEqual(
      Array.from({ length: config(env).resolvers.count }, (_, i) => `resolver-${i + 1}`));
  });

  it('graphs iterator age only for the functions a stream feeds (writer: Kinesis, exporter: DynamoDB stream)', () => {
    const iterator = JSON.stringify(widgetTitled(env, 'Iterator age'));
    expect(labelsOf(widgetTitled(env, 'Iterator age'))).toEqual(['writer', 'exporter']);
    expect(iterator).toMatch(/WriterHandlerFunction/);
    expect(iterator).toMatch(/ExporterHandlerFunction/);
    expect(iterator).not.toMatch(/FlusherHandlerFunction|ReaderHandlerFunction/);
  });

  it('shows this environment\'s own external checks, by their alarms in us-east-1, not an account-wide search', () => {
    const edgeAlarms = Object.values(template(env, 'edgeHealth').findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName as string);
    const checks = dashboard(env).widgets.filter((w) => titleOf(w).startsWith('External check:'));
    expect(checks.map((w) => w.properties.region)).toEqual(edgeAlarms.map(() => 'us-east-1'));
    const arns = checks.map((w) => (w.properties.annotations as { alarms: string[] }).alarms[0]!);
    expect(arns.map((arn) => arn.replace(/^.*:alarm:/, ''))).toEqual(edgeAlarms);
    expect(arns.every((arn) => arn.includes(`:cloudwatch:us-east-1:${config(env).account}:alarm:monsaas-${env} `))).toBe(true);
    expect(JSON.stringify(dashboard(env))).not.toMatch(/SEARCH\([^)]*AWS\/Route53/);
  });
});

interface Widget { type: string; x: number; y: number; width: number; height: number; properties: Record<string, unknown> }
/** The dashboard's JSON; CloudFormation tokens inside it (refs, imports) become their JSON text. */
function dashboard(env: string): { widgets: Widget[] } {
  const [resource] = Object.values(t(env).findResources('AWS::CloudWatch::Dashboard'));
  const body = resource!.Properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const text = typeof body === 'string' ? body
    : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : JSON.stringify(JSON.stringify(part)).slice(1, -1))).join(body['Fn::Join'][0]);
  return JSON.parse(text);
}
const titleOf = (w: Widget) => String(w.properties.title ?? w.properties.markdown ?? '');
function rowsOf(d: { widgets: Widget[] }): Widget[][] {
  const rows = new Map<number, Widget[]>();
  for (const w of d.widgets) rows.set(w.y, [...(rows.get(w.y) ?? []), w]);
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([, ws]) => ws.sort((a, b) => a.x - b.x));
}
function widgetTitled(env: string, prefix: string): Widget {
  const found = dashboard(env).widgets.find((w) => w.type !== 'text' && titleOf(w).startsWith(prefix));
  if (!found) throw new Error(`no widget titled ${prefix}... on the ${env} dashboard`);
  return found;
}
/** Titles of the widgets between one "## header" and the next, in reading order. */
function sectionTitles(env: string, header: string): string[] {
  const ordered = rowsOf(dashboard(env)).flat();
  const start = ordered.findIndex((w) => w.type === 'text' && String(w.properties.markdown).startsWith(`## ${header}`));
  const end = ordered.findIndex((w, i) => i > start && w.type === 'text' && String(w.properties.markdown).startsWith('## '));
  return ordered.slice(start + 1, end).map(titleOf);
}
/** The labels of a graph's visible lines (hidden inputs of math expressions have visible: false). */
const labelsOf = (w: Widget) => (w.properties.metrics as unknown[][])
  .map((m) => m[m.length - 1] as { label?: string; visible?: boolean })
  .filter((o) => o && typeof o === 'object' && o.visible !== false && o.label !== undefined)
  .map((o) => o.label);
const metricNamesOf = (w: Widget) => (w.properties.metrics as unknown[][]).map((m) => m[1]);
