import { CfnWaitConditionHandle } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';

export interface MonitoringStackProps extends PlatformStackProps {}

/** Alarms, alarm topic and dashboard. */
export class MonitoringStack extends PlatformStack {
  constructor(scope: Construct, props: MonitoringStackProps) {
    super(scope, 'monitoring', { description: 'Alarms, alarm topic and dashboard', ...props });
    // PLACEHOLDER until this part is built: CloudFormation rejects a stack with no resources.
    new CfnWaitConditionHandle(this, 'Placeholder');
  }
}
