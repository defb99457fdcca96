import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { MonitoringFacade, SnsAlarmActionStrategy, type IDashboardSegment, type IDynamicDashboardFactory } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { runbookLink } from './runbook-link';

export interface MonitoredService {
  /** Short name used in alarm names and on the dashboard, e.g. "api". */
  readonly name: string;
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.INetworkLoadBalancer;
  readonly targetGroup: elbv2.INetworkTargetGroup;
  readonly minCount: number;
  readonly maxCount: number;
}

export interface ServiceMonitoringProps {
  readonly config: EnvConfig;
  readonly topic: sns.ITopic;
  readonly alarmNamePrefix: string;
  readonly services: readonly MonitoredService[];
  readonly database?: rds.IDatabaseInstance;
  readonly databaseStorageGiB?: number;
  readonly stream?: kinesis.IStream;
  readonly table?: dynamodb.ITableV2;
  /** The Kinesis consumer whose iterator age is the ingest lag. */
  readonly writer?: lambda.IFunction;
  readonly otherFunctions?: Readonly<Record<string, lambda.IFunction>>;
}

/** A factory that draws nothing: the facade still records its segments (createdDashboardSegments). */
const NO_DASHBOARD: IDynamicDashboardFactory = {
  addDynamicSegment: () => undefined,
  getDashboard: () => undefined,
};

/** Thresholds of the managed services, with the reason each is where it is. */
export const SERVICE_THRESHOLDS = {
  /** Sustained CPU over this slows every request; autoscaling should have added tasks before it. */
  ecsCpuPercent: 85,
  /** Memory is not elastic in a task: over 90 % the next spike is an OOM kill. */
  ecsMemoryPercent: 90,
  rdsCpuPercent: 80,
  /** Free storage below this share of the allocation means storage autoscaling has reached its maximum. */
  rdsFreeStorageShare: 0.1,
  /** Points are written every 60 s step: a writer a minute behind is visible, five minutes is an incident. */
  writerLagWarningMs: 60_000,
  writerLagCriticalMs: 300_000,
  /** Errors are retried safely (writes are idempotent), so only errors in 3 minutes out of 5 alarm. */
  lambdaErrorsPerMinute: 0,
  dynamoThrottledEvents: 0,
} as const;

/**
 * Alarms and dashboard segments for the managed services, through cdk-monitoring-constructs: each
 * monitor* call gives the standard metrics, the dashboard widgets and the alarms we ask for, named
 * "<prefix>-<name>-<kind>" and sent to the alarm topic (on ALARM and on OK).
 */
export class ServiceMonitoring extends Construct {
  readonly facade: MonitoringFacade;

  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    const t = SERVICE_THRESHOLDS;
    const sustained = { datapointsToAlarm: 3, evaluationPeriods: 5 };
    this.facade = new MonitoringFacade(this, 'Facade', {
      alarmFactoryDefaults: {
        alarmNamePrefix: props.alarmNamePrefix,
        actionsEnabled: true,
        action: new SnsAlarmActionStrategy({ onAlarmTopic: props.topic, onOkTopic: props.topic }),
        datapointsToAlarm: 3,
        evaluationPeriods: 5,
      },
      metricFactoryDefaults: { period: Duration.minutes(1) },
      // No dashboard of its own (without a factory the facade would make one): OnCallDashboard places
      // these segments after the on-call rows.
      dashboardFactory: NO_DASHBOARD,
    });

    for (const s of props.services) {
      this.facade.monitorFargateNetworkLoadBalancer({
        fargateService: s.service,
        networkLoadBalancer: s.loadBalancer,
        networkTargetGroup: s.targetGroup,
        humanReadableName: `${s.name} service and NLB`,
        alarmFriendlyName: s.name,
        // One task below the configured minimum is tolerable during a deployment; two is lost capacity.
        addHealthyTaskCountAlarm: { Critical: {
          minHealthyTasks: Math.max(1, s.minCount - 1), ...sustained, runbookLink: runbookLink('healthyTasks'),
          alarmDescriptionOverride: `${s.name}: fewer than ${Math.max(1, s.minCount - 1)} tasks healthy behind the NLB (minimum ${s.minCount}) for 3 of 5 minutes.`,
        } },
        addCpuUsageAlarm: { Warning: { maxUsagePercent: t.ecsCpuPercent, ...sustained, runbookLink: runbookLink('taskResources') } },
        addMemoryUsageAlarm: { Warning: { maxUsagePercent: t.ecsMemoryPercent, ...sustained, runbookLink: runbookLink('taskResources') } },
        // At maxCount for 15 minutes autoscaling has no headroom left.
        addRunningTaskCountAlarm: { Warning: { maxRunningTasks: s.maxCount - 1, datapointsToAlarm: 15, evaluationPeriods: 15, runbookLink: runbookLink('runningTasksMax') } },
      });
    }
    if (props.database) {
      this.facade.monitorRdsInstance({
        instance: props.database,
        alarmFriendlyName: 'rds',
        addCpuUsageAlarm: { Warning: { maxUsagePercent: t.rdsCpuPercent, datapointsToAlarm: 10, evaluationPeriods: 15, runbookLink: runbookLink('databaseCpu') } },
        addFreeStorageSpaceAlarm: {
          Critical: {
            minCount: Math.round((props.databaseStorageGiB ?? 20) * t.rdsFreeStorageShare * 1024 ** 3),
            alarmDescriptionOverride: `Free storage below ${t.rdsFreeStorageShare * 100} % of the allocation: storage autoscaling is at its maximum.`,
            runbookLink: runbookLink('databaseStorage'),
          },
        },
      });
    }
    if (props.stream) {
      this.facade.monitorKinesisDataStream({
        streamName: props.stream.streamName,
        alarmFriendlyName: 'metrics-stream',
        addIteratorMaxAgeAlarm: { Critical: {
          maxAgeInMillis: t.writerLagCriticalMs, runbookLink: runbookLink('writerLag'),
          alarmDescriptionOverride: 'The metrics stream\'s oldest unread record is over 5 minutes old: its consumers lag (graphs miss the newest points; nothing is lost within the retention).',
        } },
        // Throughput exceeded on an on-demand stream means one hot shard (skewed partition keys).
        addWriteProvisionedThroughputExceededAlarm: { Warning: { maxRecordsThrottledThreshold: 0, runbookLink: runbookLink('streamThroughput') } },
        addReadProvisionedThroughputExceededAlarm: { Warning: { maxRecordsThrottledThreshold: 0, runbookLink: runbookLink('streamThroughput') } },
        addPutRecordsFailedAlarm: { Critical: {
          maxRecordsFailedThreshold: 0, runbookLink: runbookLink('streamPutFailed'),
          alarmDescriptionOverride: 'The metrics stream refused records in PutRecords calls: points the API did not retry never reached the write-ahead log.',
        } },
      });
    }
    if (props.table) {
      this.facade.monitorDynamoTable({
        table: dynamodb.Table.fromTableName(this, 'SeriesTable', props.table.tableName),
        alarmFriendlyName: 'series-table',
        addReadThrottledEventsCountAlarm: { Critical: { maxThrottledEventsThreshold: t.dynamoThrottledEvents, runbookLink: runbookLink('seriesTable') } },
        addWriteThrottledEventsCountAlarm: { Critical: { maxThrottledEventsThreshold: t.dynamoThrottledEvents, runbookLink: runbookLink('seriesTable') } },
        addSystemErrorCountAlarm: { Critical: { maxErrorCount: 0, runbookLink: runbookLink('seriesTable') } },
      });
    }
    const functions: Array<[string, lambda.IFunction, boolean]> = [
      ...(props.writer ? [['writer', props.writer, true] as [string, lambda.IFunction, boolean]] : []),
      ...Object.entries(props.otherFunctions ?? {}).map(([name, fn]) => [name, fn, false] as [string, lambda.IFunction, boolean]),
    ];
    for (const [name, fn, isWriter] of functions) {
      const errors = runbookLink(isWriter ? 'writerErrors' : 'tsdbFunctionErrors');
      this.facade.monitorLambdaFunction({
        lambdaFunction: fn,
        alarmFriendlyName: name,
        humanReadableName: `${name} function`,
        addFaultCountAlarm: { Critical: { maxErrorCount: t.lambdaErrorsPerMinute, runbookLink: errors } },
        addThrottlesCountAlarm: { Critical: { maxErrorCount: 0, runbookLink: errors } },
        ...(isWriter
          ? { addMaxIteratorAgeAlarm: {
            Warning: { maxAgeInMillis: t.writerLagWarningMs, runbookLink: runbookLink('writerLag'), alarmDescriptionOverride: 'The writer is over 60 s behind the stream: the newest points reach Redis late.' },
            Critical: { maxAgeInMillis: t.writerLagCriticalMs, runbookLink: runbookLink('writerLag'), alarmDescriptionOverride: 'The writer is over 5 minutes behind the stream: users see gaps at the end of their graphs.' },
          } }
          : {}),
      });
    }
  }

  /** The dashboard segments the library built, in the order the monitor* calls made them. */
  segments(): IDashboardSegment[] {
    return this.facade.createdDashboardSegments().filter((s): s is IDashboardSegment => 'widgets' in s);
  }

  /** Every alarm the library created. */
  alarms(): cloudwatch.AlarmBase[] {
    return this.facade.createdAlarms().map((a) => a.alarm);
  }
}
