import type { Construct } from 'constructs';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import type { NetworkContract } from '../platform/contracts';
import { InterfaceEndpoints } from '../constructs/network/interface-endpoints';
import { PlatformVpc, type TierRouteTables } from '../constructs/network/platform-vpc';
import { SecurityGroups } from '../constructs/network/security-groups';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';

/** The VPC, its endpoints and flow logs, and every security group. Changes rarely; everything else sits in it. */
export class NetworkStack extends PlatformStack implements NetworkContract {
  readonly vpc: ec2.Vpc;
  /** Route tables per subnet tier: the Redis VIP failover routes go into these. */
  readonly routeTables: TierRouteTables;
  readonly securityGroups: SecurityGroups;
  readonly interfaceEndpoints: InterfaceEndpoints;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, 'network', { description: 'VPC, subnets, endpoints, flow logs, security groups', ...props });
    const platformVpc = new PlatformVpc(this, 'Network', { config: this.config });
    this.vpc = platformVpc.vpc;
    this.routeTables = platformVpc.routeTables;
    this.securityGroups = new SecurityGroups(this, 'SecurityGroups', { config: this.config, vpc: this.vpc });
    this.interfaceEndpoints = new InterfaceEndpoints(this, 'InterfaceEndpoints', {
      vpc: this.vpc,
      services: this.config.network.interfaceEndpoints,
      securityGroup: this.securityGroups.endpoints,
    });
  }
}
