import { CfnWaitConditionHandle } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';

export interface CiStackProps extends PlatformStackProps {}

/** GitHub OIDC deploy role for CI. */
export class CiStack extends PlatformStack {
  constructor(scope: Construct, props: CiStackProps) {
    super(scope, 'ci', { description: 'GitHub OIDC deploy role for CI', ...props });
    // PLACEHOLDER until this part is built: CloudFormation rejects a stack with no resources.
    new CfnWaitConditionHandle(this, 'Placeholder');
  }
}
