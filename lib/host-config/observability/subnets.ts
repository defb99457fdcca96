import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { EnvConfig } from '../../config-schema/schema';

/**
 * Every subnet CIDR of the VPC by AZ (public /24, private /20, data /24, as PlatformVpc lays them out),
 * from CDK's own allocator, so accounting rules can be rendered from config alone.
 */
export function subnetsByAz(config: EnvConfig): Record<string, string[]> {
  const tiers: ec2.SubnetConfiguration[] = [
    { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
    { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
  ];
  const requestedSubnets = tiers.flatMap((configuration) =>
    config.availabilityZones.map((az) => ({ availabilityZone: az, subnetConstructId: `${configuration.name}/${az}`, configuration })));
  const { allocatedSubnets } = ec2.IpAddresses.cidr(config.network.vpcCidr).allocateSubnetsCidr({ vpcCidr: config.network.vpcCidr, requestedSubnets });
  const byAz: Record<string, string[]> = Object.fromEntries(config.availabilityZones.map((az) => [az, []]));
  allocatedSubnets.forEach((subnet, i) => byAz[requestedSubnets[i]!.availabilityZone]!.push(subnet.cidr));
  return byAz;
}
