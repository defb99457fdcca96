import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { HOST_NAMESPACE, hostMetricsLogGroupName, type HostRole } from '../../host-config/observability/metric-contract';
import { logRemovalPolicy, logRetention } from '../../platform/policies';

export interface HostMetricsLogGroupProps {
  readonly config: EnvConfig;
  readonly role: HostRole;
}

/**
 * Where the CloudWatch agent writes the host collector's embedded-metric events for one host role
 * (the metrics themselves are extracted by CloudWatch). Created by the stack that owns the hosts, so it
 * exists before they boot; grantPublish gives an instance role exactly what the agent needs.
 */
export class HostMetricsLogGroup extends Construct {
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HostMetricsLogGroupProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: hostMetricsLogGroupName(props.config.name, props.role),
      retention: logRetention(props.config.logRetentionDays),
      removalPolicy: logRemovalPolicy(props.config),
    });
  }

  /**
   * PutLogEvents into this group only, and PutMetricData into the host namespace only (procstat, mem,
   * disk), as a policy of its own so its one unavoidable wildcard is acknowledged on exactly this policy.
   */
  grantPublish(role: iam.IRole): iam.Policy {
    const policy = new iam.Policy(this, 'PublishPolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'HostMetricsLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [this.logGroup.logGroupArn],
        }),
        new iam.PolicyStatement({
          sid: 'HostMetricsNamespace',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': HOST_NAMESPACE } },
        }),
      ],
    });
    policy.attachToRole(role);
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `cloudwatch:PutMetricData has no resource type; the statement is limited to the ${HOST_NAMESPACE} namespace by condition.`,
    });
    return policy;
  }
}
