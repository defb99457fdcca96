import { CfnWaitConditionHandle } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';

export interface DnsStackProps extends PlatformStackProps {}

/** Unbound caching resolvers and the DHCP options of the VPC. */
export class DnsStack extends PlatformStack {
  constructor(scope: Construct, props: DnsStackProps) {
    super(scope, 'dns', { description: 'Unbound caching resolvers and the DHCP options of the VPC', ...props });
    // PLACEHOLDER until this part is built: CloudFormation rejects a stack with no resources.
    new CfnWaitConditionHandle(this, 'Placeholder');
  }
}
