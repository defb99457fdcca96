import { CfnWaitConditionHandle } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';

export interface AppStackProps extends PlatformStackProps {}

/** NLB, ECS Fargate cluster and the api and web services. */
export class AppStack extends PlatformStack {
  constructor(scope: Construct, props: AppStackProps) {
    super(scope, 'app', { description: 'NLB, ECS Fargate cluster and the api and web services', ...props });
    // PLACEHOLDER until this part is built: CloudFormation rejects a stack with no resources.
    new CfnWaitConditionHandle(this, 'Placeholder');
  }
}
