import { z } from 'zod';
import { cidrBlock, logRetentionDays } from '../primitives';

export const networkSchema = z.object({
  /** The VPC's IPv4 range; subnets are carved from it per tier and AZ. */
  vpcCidr: cidrBlock,
  /** NAT gateways: one per AZ in production (an AZ outage must not cut egress), one in staging (cost). */
  natGateways: z.number().int().min(1, 'must be at least 1; set natGateways to 1 (staging) or the AZ count (production)'),
  /** Interface endpoints (ECR, Logs, Secrets Manager, SSM, Kinesis, ...) keep AWS API traffic off the NAT. */
  interfaceEndpoints: z.boolean(),
  flowLogRetentionDays: logRetentionDays,
});
export type NetworkConfig = z.infer<typeof networkSchema>;
