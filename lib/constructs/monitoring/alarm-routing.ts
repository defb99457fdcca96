import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { SERVICE } from '../../platform/service';

export interface AlarmRoutingProps {
  readonly config: EnvConfig;
  readonly topic: sns.ITopic;
  /** Alarms whose names start with this are notified directly (their own actions) and are not routed. */
  readonly directlyNotifiedPrefix: string;
}

/**
 * Alarms other stacks define (batch job failures, resolver SERVFAIL ratio, ...) reach the alarm topic
 * through one EventBridge rule on alarm state changes in this environment, instead of each stack
 * importing the topic: no stack depends on monitoring, so monitoring can depend on all of them.
 * CloudFormation names alarms "<stack name>-<id>-<suffix>", so the environment's prefix selects them.
 */
export class AlarmRouting extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: AlarmRoutingProps) {
    super(scope, id);
    const { config } = props;
    const envPrefix = `${SERVICE}-${config.name}-`;
    this.rule = new events.Rule(this, 'AlarmStateChanges', {
      description: `State changes of ${envPrefix}* alarms to the alarm topic`,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: events.Match.prefix(`arn:aws:cloudwatch:${config.region}:${config.account}:alarm:${envPrefix}`),
        detail: {
          alarmName: events.Match.anythingButPrefix(props.directlyNotifiedPrefix),
          state: { value: ['ALARM', 'OK'] },
        },
      },
    });
    const field = (p: string) => events.EventField.fromPath(p);
    this.rule.addTarget(new targets.SnsTopic(props.topic, {
      message: events.RuleTargetInput.fromText(
        `${field('$.detail.alarmName')} is ${field('$.detail.state.value')} (${config.name}): ${field('$.detail.state.reason')}`,
      ),
    }));
  }
}
