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
import type { ServicesStack } from './services-stack';
import type { BatchStack } from './batch-stack';
import type { DataStack } from './data-stack';
import type { DnsStack } from './dns-stack';
import { HEALTH_CHECK_METRICS_REGION } from './edge-health-stack';
import type { TsdbStack } from './tsdb-stack';

export interface MonitoringStackProps extends PlatformStackProps {
  readonly data: DataStack;
  readonly tsdb: TsdbStack;
  readonly services: ServicesStack;
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
    const { config, data, tsdb, services, batch, dns } = props;
    const alarmNamePrefix = `${SERVICE}-${config.name}-monitoring`;
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { config });
    const topic = this.alarmTopic.topic;
    this.routing = new AlarmRouting(this, 'AlarmRouting', { config, topic, directlyNotifiedPrefix: alarmNamePrefix });

    this.services = new ServiceMonitoring(this, 'Services', {
      config, topic, alarmNamePrefix,
      dashboardName: `${SERVICE}-${config.name}`,
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
