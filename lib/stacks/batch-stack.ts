import { CfnWaitConditionHandle } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';

export interface BatchStackProps extends PlatformStackProps {}

/** Scheduled batch jobs on EventBridge (Lambda and ECS Fargate). */
export class BatchStack extends PlatformStack {
  constructor(scope: Construct, props: BatchStackProps) {
    super(scope, 'batch', { description: 'Scheduled batch jobs on EventBridge (Lambda and ECS Fargate)', ...props });
    // PLACEHOLDER until this part is built: CloudFormation rejects a stack with no resources.
    new CfnWaitConditionHandle(this, 'Placeholder');
  }
}
