import { z } from 'zod';
import { cidrBlock, logRetentionDays } from '../primitives';

/**
 * AWS services that may get an interface endpoint (PrivateLink), by their endpoint name. Each costs per
 * AZ-hour, so each environment lists only what its private workloads call often enough to matter.
 */
export const INTERFACE_ENDPOINT_SERVICES = [
  'ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm', 'ssmmessages', 'ec2messages',
  'kinesis-streams', 'kms', 'sts', 'lambda', 'monitoring', 'xray', 'ec2',
] as const;
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

export const networkSchema = z.strictObject({
  /** The VPC's IPv4 range; subnets are carved from it per tier and AZ. */
  vpcCidr: cidrBlock,
  /** NAT gateways: one per AZ in production (an AZ outage must not cut egress), one in staging (cost). */
  natGateways: z.number().int().min(1, 'must be at least 1; set natGateways to 1 (staging) or the AZ count (production)'),
  /** Interface endpoints keep AWS API traffic (image pulls, logs, secrets, SSM sessions, ...) off the NAT. */
  interfaceEndpoints: z
    .array(z.enum(INTERFACE_ENDPOINT_SERVICES, { message: `must name interface endpoint services (${INTERFACE_ENDPOINT_SERVICES.join(', ')})` }))
    .refine((list) => new Set(list).size === list.length, { message: 'lists a service twice; list each endpoint service once' }),
  flowLogRetentionDays: logRetentionDays,
});
export type NetworkConfig = z.infer<typeof networkSchema>;

/** Rules that need the environment's tier and AZs (called from schema.ts's superRefine). */
export function checkNetworkAgainstEnvironment(
  cfg: { tier: string; availabilityZones: readonly string[]; network: NetworkConfig },
  fail: (path: (string | number)[], message: string) => void,
): void {
  const azs = cfg.availabilityZones.length;
  if (cfg.tier === 'production' && cfg.network.natGateways < azs) {
    fail(['network', 'natGateways'], `is ${cfg.network.natGateways} but production has ${azs} AZs; set it to ${azs} so losing one AZ's NAT cuts no other AZ's egress`);
  }
}
