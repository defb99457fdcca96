import { Stack, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvConfig } from '../config-schema/schema';
import { SERVICE } from '../platform/service';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EndpointHealthCheck } from '../constructs/edge/endpoint-health-check';
import { AlarmTopic } from '../constructs/monitoring/alarm-topic';

/** Route 53 publishes health-check metrics only here, so the checks' alarms must live here too. */
export const HEALTH_CHECK_METRICS_REGION = 'us-east-1';

export interface EdgeHealthStackProps {
  readonly config: EnvConfig;
  /** Public names and their health paths, e.g. { domainName: 'api.<domain>', path: '/healthz' }. */
  readonly endpoints: ReadonlyArray<{ readonly domainName: string; readonly path: string }>;
}

/**
 * External checks of the public names (HTTPS on 443) and their alarms, in us-east-1. Named and tagged
 * like every PlatformStack (<service>-<env>-edge-health) but placed in the metrics region instead of the
 * environment's. It targets names from config, so it needs no cross-region reference to the NLBs.
 */
export class EdgeHealthStack extends Stack {
  readonly checks: EndpointHealthCheck[];
  /** An alarm can only notify a topic of its own region: this one has the same subscribers as the main topic. */
  readonly alarmTopic: AlarmTopic;

  constructor(scope: Construct, props: EdgeHealthStackProps) {
    const { config } = props;
    const stackName = `${SERVICE}-${config.name}-edge-health`;
    super(scope, stackName, {
      stackName,
      description: 'Route 53 health checks of the public endpoints and their alarms (us-east-1)',
      env: { account: config.account, region: HEALTH_CHECK_METRICS_REGION },
      terminationProtection: config.terminationProtection,
    });
    Tags.of(this).add('service', SERVICE);
    Tags.of(this).add('environment', config.name);
    Tags.of(this).add('stack-part', 'edge-health');
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
