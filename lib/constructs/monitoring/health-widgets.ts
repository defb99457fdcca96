import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { EnvConfig } from '../../config-schema/schema';
import { HOST_NAMESPACE, HostDimension as D, HostMetric as M } from '../../host-config/observability/metric-contract';
import type { RedisShard } from '../../model/redis-topology';
import { RESOLVER_METRICS_NAMESPACE, ResolverMetric } from '../../host-config/unbound/metrics';
import { hostMetric } from './host-metric';

export interface HealthWidgetsInput {
  readonly config: EnvConfig;
  readonly shards: readonly RedisShard[];
  readonly stream?: kinesis.IStream;
  readonly writer?: lambda.IFunction;
  readonly functions: readonly lambda.IFunction[];
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** Region where Route 53 publishes health-check metrics. */
  readonly healthCheckRegion: string;
}

const MINUTE = Duration.minutes(1);
const graph = (title: string, left: cloudwatch.IMetric[], extra: Partial<cloudwatch.GraphWidgetProps> = {}) =>
  new cloudwatch.GraphWidget({ title, left, width: 8, height: 6, period: MINUTE, ...extra });

/**
 * The top of the dashboard: the platform's health at a glance (ingest rate, writer lag, failovers, shard
 * balance, resolver statistics, errors, inter-AZ traffic, external checks, every alarm's state).
 */
export function healthWidgets(input: HealthWidgetsInput): cloudwatch.IWidget[] {
  const env = { [D.environment]: input.config.name };
  const widgets: cloudwatch.IWidget[] = [];
  widgets.push(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...input.alarms], width: 24, height: 4 }));
  if (input.stream) {
    widgets.push(graph('Ingest rate (records/min)', [input.stream.metricIncomingRecords({ statistic: 'Sum', period: MINUTE })]));
  }
  const lag: cloudwatch.IMetric[] = [];
  if (input.stream) lag.push(input.stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: MINUTE, label: 'stream read delay' }));
  if (input.writer) lag.push(input.writer.metric('IteratorAge', { statistic: 'Maximum', period: MINUTE, label: 'writer iterator age' }));
  if (lag.length) widgets.push(graph('Writer lag (ms)', lag));
  widgets.push(graph('Failovers: VIP holder per node (1 = MASTER)', input.shards.flatMap((shard) => shard.nodes.map((node) =>
    hostMetric(M.vipHeld, { ...env, [D.shard]: String(shard.index), [D.node]: node.role }, 'Maximum', node.name)))));
  widgets.push(graph('Shard balance: keys per shard', input.shards.map((shard) =>
    hostMetric(M.redisKeys, { ...env, [D.shard]: String(shard.index) }, 'Maximum', `shard ${shard.index}`))));
  widgets.push(graph('Shard memory (% of maxmemory)', input.shards.map((shard) =>
    hostMetric(M.redisMemoryUsedPercent, { ...env, [D.shard]: String(shard.index) }, 'Maximum', `shard ${shard.index}`))));
  const resolver = (name: string) => new cloudwatch.Metric({ namespace: RESOLVER_METRICS_NAMESPACE, metricName: name, dimensionsMap: env, statistic: 'Sum', period: MINUTE });
  widgets.push(graph('Resolvers: queries and answers', [
    resolver(ResolverMetric.queries), resolver(ResolverMetric.cacheHits), resolver(ResolverMetric.nxdomain), resolver(ResolverMetric.servfail),
  ], {
    right: [new cloudwatch.MathExpression({
      expression: '100 * servfail / queries',
      usingMetrics: { servfail: resolver(ResolverMetric.servfail), queries: resolver(ResolverMetric.queries) },
      label: 'SERVFAIL %', period: MINUTE,
    })],
  }));
  widgets.push(graph('Errors: functions', input.functions.map((fn) => fn.metricErrors({ statistic: 'Sum', period: MINUTE }))));
  widgets.push(graph('TCP retransmits and failed connects (hosts)', ['redis', 'resolver'].flatMap((role) => [
    hostMetric(M.tcpRetransmittedSegments, { ...env, [D.role]: role }, 'Sum', `${role} retransmitted segments`),
    hostMetric(M.tcpSynRetransmits, { ...env, [D.role]: role }, 'Sum', `${role} SYN/SYN-ACK retransmits`),
    hostMetric(M.tcpFailedConnectionAttempts, { ...env, [D.role]: role }, 'Sum', `${role} failed connects`),
  ])));
  widgets.push(graph('Accounted traffic: Redis and inter-AZ bytes', [new cloudwatch.MathExpression({
    expression: `SEARCH('{${HOST_NAMESPACE},${D.environment},${D.role},${D.flow}} ${D.environment}="${input.config.name}" MetricName="${M.accountedBytes}"', 'Sum', 60)`,
    label: '', period: MINUTE,
  })]));
  widgets.push(graph('External checks (Route 53, 1 = healthy)', [new cloudwatch.MathExpression({
    expression: `SEARCH('{AWS/Route53,HealthCheckId} MetricName="HealthCheckStatus"', 'Minimum', 60)`,
    searchRegion: input.healthCheckRegion,
    label: '', period: MINUTE,
  })]));
  return widgets;
}
