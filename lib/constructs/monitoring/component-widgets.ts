import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { EnvConfig } from '../../config-schema/schema';
import { HOST_NAMESPACE, HostDimension as D, HostMetric as M } from '../../host-config/observability/metric-contract';
import { RESOLVER_METRICS_NAMESPACE, ResolverMetric, resolverName } from '../../host-config/unbound/metrics';
import type { RedisShard } from '../../model/redis-topology';
import { graph, metricId, MINUTE } from './health-widgets';
import { hostMetric } from './host-metric';
import { REDIS_THRESHOLDS } from './redis-shard-alarms';

const FIVE_MINUTES = Duration.minutes(5);
const header = (markdown: string): cloudwatch.IWidget => new cloudwatch.TextWidget({ markdown, width: 24, height: 1 });
const named = <T>(record: Readonly<Record<string, T>>) => Object.entries(record);

export interface BatchJobsInput {
  /** Lambda jobs by name ("usage", "notifications", ...). */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** The ECS billing task's failure count (stopped tasks with a non-zero exit). */
  readonly billingFailures: cloudwatch.IMetric;
  readonly scheduleGroupName: string;
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
}

/** Runs (scheduler attempts and Lambda invocations), errors, durations and dead letters of every job. */
export function batchJobRow(input: BatchJobsInput): cloudwatch.IWidget[][] {
  const scheduler = (metricName: string, label: string) => new cloudwatch.Metric({
    namespace: 'AWS/Scheduler', metricName, dimensionsMap: { ScheduleGroup: input.scheduleGroupName }, statistic: 'Sum', period: FIVE_MINUTES, label,
  });
  const fns = named(input.functions);
  return [
    [header('## Batch jobs')],
    [
      graph('Batch job runs', 6, [
        ...fns.map(([name, fn]) => fn.metricInvocations({ statistic: 'Sum', period: FIVE_MINUTES, label: name })),
        scheduler('InvocationAttemptCount', 'scheduler starts (all jobs, billing included)'),
      ], { period: FIVE_MINUTES }),
      graph('Batch job errors', 6, [
        ...fns.map(([name, fn]) => fn.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES, label: name })),
        input.billingFailures,
        scheduler('TargetErrorCount', 'scheduler could not start a job'),
      ], { period: FIVE_MINUTES }),
      graph('Batch job duration (max ms)', 6, fns.map(([name, fn]) => fn.metricDuration({ statistic: 'Maximum', period: FIVE_MINUTES, label: name })), { period: FIVE_MINUTES }),
      graph('Batch dead letters (messages in)', 6, named(input.deadLetterQueues).map(([name, queue]) =>
        queue.metricNumberOfMessagesSent({ statistic: 'Sum', period: FIVE_MINUTES, label: name })), { period: FIVE_MINUTES }),
    ],
  ];
}

export interface QueuesInput {
  readonly rejectedRecords: sqs.IQueue;
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  readonly undeliverableNotifications: sqs.IQueue;
}

/** What waits for a person: rejected TSDB records, jobs' dead letters, notifications that never went out. */
export function queueRow(input: QueuesInput): cloudwatch.IWidget[][] {
  const depth = (queue: sqs.IQueue, label: string) => queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: FIVE_MINUTES, label });
  return [
    [header('## Queue depths (each message waits for a person: see the runbooks)')],
    [
      graph('Rejected records (queue depth)', 8, [depth(input.rejectedRecords, 'TSDB rejected records and failed batches')], { period: FIVE_MINUTES }),
      graph('Dead letters (queue depth)', 8, named(input.deadLetterQueues).map(([name, queue]) => depth(queue, name)), { period: FIVE_MINUTES }),
      graph('Undeliverable notifications (queue depth)', 8, [depth(input.undeliverableNotifications, 'notifications that failed every try')], { period: FIVE_MINUTES }),
    ],
  ];
}

/** keepalived on every node, one master per shard, and the per-shard load that decides when to add a shard. */
export function redisPairRow(config: EnvConfig, shards: readonly RedisShard[]): cloudwatch.IWidget[][] {
  const env = { [D.environment]: config.name };
  const perShard = (metric: string, statistic: string) => shards.map((shard) =>
    hostMetric(metric, { ...env, [D.shard]: String(shard.index) }, statistic, `shard ${shard.index}`));
  const masters = shards.map((shard) => new cloudwatch.MathExpression({
    expression: `FILL(s${shard.index}a, 0) + FILL(s${shard.index}b, 0)`,
    usingMetrics: Object.fromEntries(shard.nodes.map((node) => [`s${shard.index}${node.role}`,
      hostMetric(M.vipHeld, { ...env, [D.shard]: String(shard.index), [D.node]: node.role }, 'Maximum')])),
    label: `shard ${shard.index}`,
    period: MINUTE,
  }));
  return [
    [header('## Redis pairs: keepalived and VIP ownership')],
    [
      graph('keepalived processes per node', 6, shards.flatMap((shard) => shard.nodes.map((node) =>
        hostMetric(M.processCount, { ...env, [D.shard]: String(shard.index), [D.node]: node.role, [D.process]: 'keepalived' }, 'Minimum', node.name))), {
        leftAnnotations: [{ value: REDIS_THRESHOLDS.keepalivedProcesses, label: 'alarm below', color: cloudwatch.Color.RED }],
      }),
      graph('VIP ownership: masters per shard (must be 1)', 6, masters, {
        leftAnnotations: [{ value: 1, label: 'exactly one master', color: cloudwatch.Color.GREEN }],
        leftYAxis: { min: 0, max: 2 },
      }),
      graph('Replication link (1 = standby in sync)', 6, perShard(M.redisMasterLinkUp, 'Minimum'), { leftYAxis: { min: 0, max: 1 } }),
      graph('Shard balance: keys per shard', 6, perShard(M.redisKeys, 'Maximum')),
    ],
    [
      graph('Redis clients per shard', 6, perShard(M.redisConnectedClients, 'Maximum'), {
        leftAnnotations: [{ value: REDIS_THRESHOLDS.connectedClients, label: 'alarm', color: cloudwatch.Color.RED }],
      }),
      // The failover agents' own view: who may take over, who stays fenced, which shard is split.
      graph('Failover agents: eligible, fenced, split brain', 6, [
        ...shards.flatMap((shard) => shard.nodes.flatMap((node) => {
          const dims = { ...env, [D.shard]: String(shard.index), [D.node]: node.role };
          return [
            hostMetric(M.redisEligible, dims, 'Minimum', `${node.name} eligible`),
            hostMetric(M.redisDemotionUnproven, dims, 'Maximum', `${node.name} fenced`),
          ];
        })),
        ...perShard(M.redisSplitBrain, 'Maximum').map((metric, i) => metric.with({ label: `shard ${shards[i]!.index} split brain` })),
      ], { leftYAxis: { min: 0, max: 1 } }),
      graph('TCP retransmits and failed connects (hosts)', 6, ['redis', 'resolver'].flatMap((role) => [
        hostMetric(M.tcpRetransmittedSegments, { ...env, [D.role]: role }, 'Sum', `${role} retransmitted segments`),
        hostMetric(M.tcpSynRetransmits, { ...env, [D.role]: role }, 'Sum', `${role} SYN/SYN-ACK retransmits`),
        hostMetric(M.tcpFailedConnectionAttempts, { ...env, [D.role]: role }, 'Sum', `${role} failed connects`),
      ])),
      graph('Accounted traffic: Redis and inter-AZ bytes', 6, [new cloudwatch.MathExpression({
        expression: `SEARCH('{${HOST_NAMESPACE},${D.environment},${D.role},${D.flow}} ${D.environment}="${config.name}" MetricName="${M.accountedBytes}"', 'Sum', 60)`,
        label: '', period: MINUTE,
      })]),
    ],
  ];
}

/** Each resolver's answers, SERVFAIL share (with the alarm's threshold) and cache hit share. */
export function resolverRow(config: EnvConfig): cloudwatch.IWidget[][] {
  const names = Array.from({ length: config.resolvers.count }, (_, i) => resolverName(i));
  const metric = (name: string, resolver?: string) => new cloudwatch.Metric({
    namespace: RESOLVER_METRICS_NAMESPACE, metricName: name, statistic: 'Sum', period: MINUTE,
    dimensionsMap: resolver ? { Environment: config.name, Resolver: resolver } : { Environment: config.name },
  });
  const share = (numerator: string, resolver: string) => new cloudwatch.MathExpression({
    expression: `IF(q${metricId(resolver)} > 0, 100 * p${metricId(resolver)} / q${metricId(resolver)}, 0)`,
    usingMetrics: { [`p${metricId(resolver)}`]: metric(numerator, resolver), [`q${metricId(resolver)}`]: metric(ResolverMetric.queries, resolver) },
    label: resolver,
    period: MINUTE,
  });
  return [
    [header('## Resolvers (Unbound)')],
    [
      graph('Resolvers: queries and answers (all)', 8, [
        metric(ResolverMetric.queries), metric(ResolverMetric.cacheHits), metric(ResolverMetric.nxdomain), metric(ResolverMetric.servfail),
      ]),
      graph('Resolvers: SERVFAIL % per resolver', 8, names.map((r) => share(ResolverMetric.servfail, r)), {
        leftAnnotations: [{ value: config.resolvers.servfailAlarmPercent, label: 'alarm', color: cloudwatch.Color.RED }],
        leftYAxis: { min: 0 },
      }),
      graph('Resolvers: cache hit % per resolver', 8, names.map((r) => share(ResolverMetric.cacheHits, r)), { leftYAxis: { min: 0, max: 100 } }),
    ],
  ];
}

export interface TsdbFunctionsInput {
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** Only the functions fed by a stream (Kinesis, DynamoDB streams) have an iterator age. */
  readonly streamConsumers: Readonly<Record<string, lambda.IFunction>>;
}

/** The TSDB functions side by side; iterator age only for the stream consumers (others would be empty graphs). */
export function tsdbFunctionRow(input: TsdbFunctionsInput): cloudwatch.IWidget[][] {
  const fns = named(input.functions);
  return [
    [header('## TSDB functions')],
    [
      graph('TSDB functions: invocations', 6, fns.map(([name, fn]) => fn.metricInvocations({ statistic: 'Sum', period: MINUTE, label: name }))),
      graph('TSDB functions: errors and throttles', 6, fns.flatMap(([name, fn]) => [
        fn.metricErrors({ statistic: 'Sum', period: MINUTE, label: `${name} errors` }),
        fn.metricThrottles({ statistic: 'Sum', period: MINUTE, label: `${name} throttles` }),
      ])),
      graph('TSDB functions: duration (p99 ms)', 6, fns.map(([name, fn]) => fn.metricDuration({ statistic: 'p99', period: MINUTE, label: name }))),
      graph('Iterator age of the stream consumers (ms)', 6, named(input.streamConsumers).map(([name, fn]) =>
        fn.metric('IteratorAge', { statistic: 'Maximum', period: MINUTE, label: name }))),
    ],
  ];
}

export interface ExternalCheck {
  /** The public name checked, e.g. api.<domain>. */
  readonly name: string;
  /** The check's alarm (in the health-check metrics region). */
  readonly alarm: cloudwatch.IAlarm;
  readonly region: string;
}

/** This environment's own Route 53 checks, each as its alarm's graph (threshold included), from their region. */
export function externalCheckRow(checks: readonly ExternalCheck[]): cloudwatch.IWidget[][] {
  const width = Math.floor(24 / Math.max(1, checks.length));
  return [
    [header('## External checks (Route 53 HTTPS on 443, from outside AWS\'s network)')],
    checks.map((check) => new cloudwatch.AlarmWidget({
      title: `External check: ${check.name} (1 = healthy)`,
      alarm: check.alarm,
      region: check.region,
      width,
      height: 5,
      leftYAxis: { min: 0, max: 1 },
    })),
  ];
}
