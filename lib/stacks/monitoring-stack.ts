import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { AlarmRouting } from '../constructs/monitoring/alarm-routing';
import { AlarmTopic } from '../constructs/monitoring/alarm-topic';
import { externalCheckAlarms } from '../constructs/monitoring/external-check-alarms';
import { OnCallDashboard } from '../constructs/monitoring/on-call-dashboard';
import { RedisShardAlarms } from '../constructs/monitoring/redis-shard-alarms';
import { ServiceMonitoring } from '../constructs/monitoring/service-monitoring';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import { SERVICE } from '../platform/service';
import type { ServicesStack } from './services-stack';
import type { BatchStack } from './batch-stack';
import type { DataStack } from './data-stack';
import type { DnsStack } from './dns-stack';
import type { EdgeHealthStack } from './edge-health-stack';
import type { TsdbStack } from './tsdb-stack';

export interface MonitoringStackProps extends PlatformStackProps {
  readonly data: DataStack;
  readonly tsdb: TsdbStack;
  readonly services: ServicesStack;
  readonly batch: BatchStack;
  readonly dns: DnsStack;
  /** Its checks' alarms are shown (from us-east-1) on the dashboard; nothing of it is referenced as a token. */
  readonly edgeHealth: EdgeHealthStack;
}

/**
 * The environment's alarm topic, its alarms and its dashboard. It reads the other stacks and none reads
 * it: their own alarms reach the topic through an EventBridge rule (AlarmRouting).
 */
export class MonitoringStack extends PlatformStack {
  readonly alarmTopic: AlarmTopic;
  readonly services: ServiceMonitoring;
  readonly redisAlarms: RedisShardAlarms;
  readonly routing: AlarmRouting;
  readonly dashboard: OnCallDashboard;

  constructor(scope: Construct, props: MonitoringStackProps) {
    super(scope, 'monitoring', { description: 'Alarms, alarm topic and dashboard', ...props });
    const { config, data, tsdb, services, batch, dns, edgeHealth } = props;
    const alarmNamePrefix = `${SERVICE}-${config.name}-monitoring`;
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { config });
    const topic = this.alarmTopic.topic;
    this.routing = new AlarmRouting(this, 'AlarmRouting', { config, topic, directlyNotifiedPrefix: alarmNamePrefix });

    const tsdbFunctions = { writer: tsdb.writerFunction, flusher: tsdb.flusherFunction, exporter: tsdb.exporterFunction, reader: tsdb.readerFunction };
    this.services = new ServiceMonitoring(this, 'Services', {
      config, topic, alarmNamePrefix,
      services: [
        { name: 'api', service: services.api.service, loadBalancer: services.apiEndpoint.loadBalancer, targetGroup: services.apiEndpoint.targetGroup, minCount: config.services.api.minCount, maxCount: config.services.api.maxCount },
        { name: 'web', service: services.web.service, loadBalancer: services.webEndpoint.loadBalancer, targetGroup: services.webEndpoint.targetGroup, minCount: config.services.web.minCount, maxCount: config.services.web.maxCount },
      ],
      database: data.database.instance,
      databaseStorageGiB: config.database.allocatedStorageGiB,
      stream: data.tsdb.stream,
      table: data.tsdb.table,
      writer: tsdb.writerFunction,
      otherFunctions: { flusher: tsdb.flusherFunction, exporter: tsdb.exporterFunction, reader: tsdb.readerFunction },
    });
    this.redisAlarms = new RedisShardAlarms(this, 'RedisShards', { config, topic, alarmNamePrefix });

    const jobs = { usage: batch.usage, notifications: batch.notifications, retention: batch.retention, 'log-metrics': batch.logMetrics };
    const jobFunctions = Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, job.handler.function]));
    const alarms: Record<string, cloudwatch.IAlarm[]> = {
      'Redis pairs': this.redisAlarms.alarms,
      'pipeline, services, jobs, DNS': [...this.services.alarms(), ...batch.alarms, ...dns.alarms],
    };
    this.dashboard = new OnCallDashboard(this, 'Dashboard', {
      dashboardName: `${SERVICE}-${config.name}`,
      health: {
        config,
        shards: this.redisAlarms.shards,
        stream: data.tsdb.stream,
        writer: tsdb.writerFunction,
        functions: { ...tsdbFunctions, ...jobFunctions },
        alarms,
      },
      batchJobs: {
        functions: jobFunctions,
        billingFailures: batch.billing.failedTaskAlarm.metric,
        scheduleGroupName: `${SERVICE}-${config.name}-batch`,
        deadLetterQueues: {
          ...Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, job.deadLetterQueue])),
          billing: batch.billing.deadLetterQueue,
        },
      },
      queues: { rejectedRecords: tsdb.rejectedRecords.queue, undeliverableNotifications: batch.undeliverableNotifications },
      tsdb: { functions: tsdbFunctions, streamConsumers: { writer: tsdb.writerFunction, exporter: tsdb.exporterFunction } },
      externalChecks: externalCheckAlarms(this, config, edgeHealth.checks),
      serviceSegments: this.services.segments(),
    });
  }
}
