import { z } from 'zod';
import { count, dnsName, instanceType, ipv4Address } from '../primitives';

export const resolversSchema = z.object({
  /** Resolver count; spread over the AZs, one fixed private address each. */
  count: count('resolvers'),
  instanceType,
  /** Zones answered by the company's authoritative servers, forwarded there. */
  internalZones: z
    .array(z.object({ name: dnsName, servers: z.array(ipv4Address).min(1, 'must list at least one authoritative server') }))
    .default([]),
  /** Upstreams for everything else; empty means the VPC resolver (169.254.169.253). */
  upstreams: z.array(ipv4Address).default([]),
  /** Cap on cached negative answers, seconds (the operators once lost their own domain to a cached NXDOMAIN). */
  cacheMaxNegativeTtlS: z.number().int().min(0).max(3600),
  cacheMaxTtlS: z.number().int().min(60),
});
export type ResolversConfig = z.infer<typeof resolversSchema>;
