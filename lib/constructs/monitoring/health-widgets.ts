import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { EnvConfig } from '../../config-schema/schema';
import { HostDimension as D, HostMetric as M } from '../../host-config/observability/metric-contract';
import type { RedisShard } from '../../model/redis-topology';
import { hostMetric } from './host-metric';
import { REDIS_THRESHOLDS } from './redis-shard-alarms';
import { SERVICE_THRESHOLDS } from './service-monitoring';

export interface HealthWidgetsInput {
  readonly config: EnvConfig;
  readonly shards: readonly RedisShard[];
  readonly stream: kinesis.IStream;
  readonly writer: lambda.IFunction;
  /** Functions whose error rate the first screen shows, by the name on the graph. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** Every alarm to show, in groups (one status widget per group, split further at the widget's limit). */
  readonly alarms: Readonly<Record<string, readonly cloudwatch.IAlarm[]>>;
}

/** CloudWatch accepts at most 100 alarms in one alarm status widget. */
export const ALARMS_PER_STATUS_WIDGET = 100;

export const MINUTE = Duration.minutes(1);

/** A graph of a given width (the dashboard grid is 24 wide); rows of these always add up to 24. */
export const graph = (title: string, width: number, left: cloudwatch.IMetric[], extra: Partial<cloudwatch.GraphWidgetProps> = {}) =>
  new cloudwatch.GraphWidget({ title, left, width, height: 6, period: MINUTE, ...extra });

/** A name as a metric-math id suffix ("log-metrics" -> "logmetrics"). */
export const metricId = (name: string) => name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();

/** `100 * errors / invocations` of one function, 0 while it is not invoked. */
export function errorRate(name: string, fn: lambda.IFunction, period = MINUTE): cloudwatch.MathExpression {
  // Metric ids are per graph: each expression needs its own (lower-case first, letters and digits).
  const id = metricId(name);
  return new cloudwatch.MathExpression({
    expression: `IF(i${id} > 0, 100 * e${id} / i${id}, 0)`,
    usingMetrics: { [`e${id}`]: fn.metricErrors({ statistic: 'Sum', period }), [`i${id}`]: fn.metricInvocations({ statistic: 'Sum', period }) },
    label: name,
    period,
  });
}

/**
 * The first screen, full width: every alarm's state, then ingest, writer lag (with the 60 s / 5 min
 * alarm thresholds), failovers, shard memory (with the 85 % line) and error rates. What an on-call
 * engineer needs in the first ten seconds; everything else is in the rows below.
 */
/** One status widget per group (and per 100 alarms of a group), side by side across the full width. */
function alarmStatusRow(groups: Readonly<Record<string, readonly cloudwatch.IAlarm[]>>): cloudwatch.IWidget[] {
  const chunks = Object.entries(groups).flatMap(([title, alarms]) => {
    const count = Math.ceil(alarms.length / ALARMS_PER_STATUS_WIDGET);
    return Array.from({ length: count }, (_, i) => ({
      title: `Alarms: ${title}${count > 1 ? ` (${i + 1}/${count})` : ''}`,
      alarms: alarms.slice(i * ALARMS_PER_STATUS_WIDGET, (i + 1) * ALARMS_PER_STATUS_WIDGET),
    }));
  });
  const width = Math.floor(24 / chunks.length);
  return chunks.map((chunk, i) => new cloudwatch.AlarmStatusWidget({
    title: chunk.title,
    alarms: [...chunk.alarms],
    // The last widget takes what the division leaves, so the row is exactly full width.
    width: i === chunks.length - 1 ? 24 - width * (chunks.length - 1) : width,
    height: 5,
    sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
  }));
}

export function healthWidgets(input: HealthWidgetsInput): cloudwatch.IWidget[][] {
  const env = { [D.environment]: input.config.name };
  const t = SERVICE_THRESHOLDS;
  return [
    [new cloudwatch.TextWidget({ markdown: `# monsaas ${input.config.name}: health`, width: 24, height: 1 })],
    alarmStatusRow(input.alarms),
    [
      graph('Ingest rate (records/min)', 8, [input.stream.metricIncomingRecords({ statistic: 'Sum', period: MINUTE, label: 'records into the stream' })]),
      graph('Writer lag (ms)', 8, [
        input.writer.metric('IteratorAge', { statistic: 'Maximum', period: MINUTE, label: 'writer iterator age' }),
        input.stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: MINUTE, label: 'stream read delay' }),
      ], {
        leftAnnotations: [
          { value: t.writerLagWarningMs, label: 'warning: 60 s', color: cloudwatch.Color.ORANGE },
          { value: t.writerLagCriticalMs, label: 'critical: 5 min', color: cloudwatch.Color.RED },
        ],
      }),
      graph('Failovers: VIP holder per node (1 = MASTER)', 8, input.shards.flatMap((shard) => shard.nodes.map((node) =>
        hostMetric(M.vipHeld, { ...env, [D.shard]: String(shard.index), [D.node]: node.role }, 'Maximum', node.name))), {
        leftYAxis: { min: 0, max: 1 },
      }),
    ],
    [
      graph('Shard memory (% of maxmemory)', 12, input.shards.map((shard) =>
        hostMetric(M.redisMemoryUsedPercent, { ...env, [D.shard]: String(shard.index) }, 'Maximum', `shard ${shard.index}`)), {
        leftAnnotations: [{ value: REDIS_THRESHOLDS.memoryUsedPercent, label: `alarm: ${REDIS_THRESHOLDS.memoryUsedPercent} %`, color: cloudwatch.Color.RED }],
        leftYAxis: { min: 0, max: 100 },
      }),
      graph('Error rates (% of invocations)', 12, Object.entries(input.functions).map(([name, fn]) => errorRate(name, fn)), {
        leftYAxis: { min: 0 },
      }),
    ],
  ];
}
