import type { EnvConfig } from '../../config-schema/schema';
import { subnetPlan } from '../../model/subnet-plan';

/** Every subnet CIDR of the VPC by AZ (public, private, data), from the subnet plan PlatformVpc is built with. */
export function subnetsByAz(config: Pick<EnvConfig, 'availabilityZones' | 'network'>): Record<string, string[]> {
  const byAz: Record<string, string[]> = Object.fromEntries(config.availabilityZones.map((az) => [az, []]));
  for (const subnet of subnetPlan(config.network.vpcCidr, config.availabilityZones)) byAz[subnet.availabilityZone]!.push(subnet.cidr);
  return byAz;
}
