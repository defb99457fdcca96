import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SingleWidgetDashboardSegment } from 'cdk-monitoring-constructs';
import type { Construct } from 'constructs';
import { AlarmRouting } from '../constructs/monitoring/alarm-routing';
import { AlarmTopic } from '../constructs/monitoring/alarm-topic';
import { healthWidgets } from '../constructs/monitoring/health-widgets';
import { RedisShardAlarms } from '../constructs/monitoring/redis-shard-alarms';
import { ServiceMonitoring } from '../constructs/monitoring/service-monitoring';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import { SERVICE } from '../platform/service';
import type { AppStack } from './app-stack';
import type { BatchStack } from './batch-stack';
import type { DataStack } from './data-stack';
import type { DnsStack } from './dns-stack';
import { HEALTH_CHECK_METRICS_REGION } from './edge-health-stack';
import type { TsdbStack } from './tsdb-stack';

export interface MonitoringStackProps extends PlatformStackProps {
  readonly data: DataStack;
  readonly tsdb: TsdbStack;
  readonly app: AppStack;
  readonly batch: BatchStack;
  readonly dns: DnsStack;
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

  constructor(scope: Construct, props: MonitoringStackProps) {
    super(scope, 'monitoring', { description: 'Alarms, alarm topic and dashboard', ...props });
    const { config, data, tsdb, app, batch, dns } = props;
    const alarmNamePrefix = `${SERVICE}-${config.name}-monitoring`;
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { config });
    const topic = this.alarmTopic.topic;
    this.routing = new AlarmRouting(this, 'AlarmRouting', { config, topic, directlyNotifiedPrefix: alarmNamePrefix });

    this.services = new ServiceMonitoring(this, 'Services', {
      config, topic, alarmNamePrefix,
      dashboardName: `${SERVICE}-${config.name}`,
      services: [
        { name: 'api', service: app.api.service, loadBalancer: app.apiEndpoint.loadBalancer, targetGroup: app.apiEndpoint.targetGroup, minCount: config.app.api.minCount, maxCount: config.app.api.maxCount },
        { name: 'web', service: app.web.service, loadBalancer: app.webEndpoint.loadBalancer, targetGroup: app.webEndpoint.targetGroup, minCount: config.app.web.minCount, maxCount: config.app.web.maxCount },
      ],
      database: data.database.instance,
      databaseStorageGiB: config.database.allocatedStorageGiB,
      stream: data.tsdb.stream,
      table: data.tsdb.table,
      writer: tsdb.writerFunction,
      otherFunctions: { flusher: tsdb.flusherFunction, exporter: tsdb.exporterFunction, reader: tsdb.readerFunction },
    });
    this.redisAlarms = new RedisShardAlarms(this, 'RedisShards', { config, topic, alarmNamePrefix });

    const facade = this.services.facade;
    const alarms: cloudwatch.IAlarm[] = [...this.redisAlarms.alarms, ...this.services.alarms(), ...batch.alarms, ...dns.alarms];
    const glance = healthWidgets({
      config,
      shards: this.redisAlarms.shards,
      stream: data.tsdb.stream,
      writer: tsdb.writerFunction,
      functions: [tsdb.writerFunction, tsdb.flusherFunction, tsdb.exporterFunction, tsdb.readerFunction],
      alarms,
      healthCheckRegion: HEALTH_CHECK_METRICS_REGION,
    });
    facade.addLargeHeader(`monsaas ${config.name}: health at a glance`);
    for (const widget of glance) facade.addSegment(new SingleWidgetDashboardSegment(widget));
  }
}
