import type { Construct } from 'constructs';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import { PlatformVpc } from '../constructs/network/platform-vpc';
import { SecurityGroups } from '../constructs/network/security-groups';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';

/** The VPC, its endpoints and flow logs, and every security group. Changes rarely; everything else sits in it. */
export class NetworkStack extends PlatformStack {
  readonly vpc: ec2.Vpc;
  readonly securityGroups: SecurityGroups;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, 'network', { description: 'VPC, subnets, endpoints, flow logs, security groups', ...props });
    this.vpc = new PlatformVpc(this, 'Network', { config: this.config }).vpc;
    this.securityGroups = new SecurityGroups(this, 'SecurityGroups', { config: this.config, vpc: this.vpc });
  }
}
