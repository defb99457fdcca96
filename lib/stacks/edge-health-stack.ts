import type { Construct } from 'constructs';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EndpointHealthCheck } from '../constructs/edge/endpoint-health-check';
import { AlarmTopic } from '../constructs/monitoring/alarm-topic';

/** Route 53 publishes health-check metrics only here, so the checks' alarms must live here too. */
export const HEALTH_CHECK_METRICS_REGION = 'us-east-1';

export interface EdgeHealthStackProps extends Omit<PlatformStackProps, 'region'> {
  /** Public names and their health paths, e.g. { domainName: 'api.<domain>', path: '/healthz' }. */
  readonly endpoints: ReadonlyArray<{ readonly domainName: string; readonly path: string }>;
}

/**
 * External checks of the public names (HTTPS on 443) and their alarms, in us-east-1: a PlatformStack
 * placed in the metrics region instead of the environment's. It targets names from config, so it needs
 * no cross-region reference to the NLBs.
 */
export class EdgeHealthStack extends PlatformStack {
  readonly checks: EndpointHealthCheck[];
  /** An alarm can only notify a topic of its own region: this one has the same subscribers as the main topic. */
  readonly alarmTopic: AlarmTopic;

  constructor(scope: Construct, props: EdgeHealthStackProps) {
    super(scope, 'edgeHealth', {
      config: props.config,
      description: 'Route 53 health checks of the public endpoints and their alarms (us-east-1)',
      region: HEALTH_CHECK_METRICS_REGION,
    });
    const { config } = this;
    this.checks = props.endpoints.map((endpoint) => new EndpointHealthCheck(this, endpoint.domainName, {
      domainName: endpoint.domainName,
      path: endpoint.path,
      environmentName: config.name,
    }));
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { config });
    for (const check of this.checks) {
      check.alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic.topic));
      check.alarm.addOkAction(new actions.SnsAction(this.alarmTopic.topic));
    }
  }
}
