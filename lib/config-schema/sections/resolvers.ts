import { z } from 'zod';
import { count, dnsName, instanceType, ipv4Address } from '../primitives';

/** The resolvers boot the arm64 (Graviton) Amazon Linux 2023 image, so their instance type must be arm64. */
export const RESOLVER_IMAGE_ARCHITECTURE = 'arm64';

/** A DHCP options set lists at most 4 name servers; one slot is kept for the AmazonProvidedDNS fallback. */
export const MAX_RESOLVERS = 3;

export const resolversSchema = z
  .strictObject({
    /** Resolver count; resolver i runs in the i-th AZ. */
    count: count('resolvers'),
    /**
     * Fixed private address of each resolver (i-th in the i-th AZ's private subnet; checked at synth).
     * Hosts get them by DHCP in this order, so the list is the resolvers' identity: keep it stable.
     */
    addresses: z.array(ipv4Address),
    instanceType,
    /** Zones answered by the company's authoritative servers (stub zones: queried directly, never leaked upstream). */
    internalZones: z
      .array(z.strictObject({ name: dnsName, servers: z.array(ipv4Address).min(1, 'must list at least one authoritative server') }))
      .default([]),
    /** Upstreams for everything else; empty means the VPC resolver (169.254.169.253). */
    upstreams: z.array(ipv4Address).default([]),
    /** Cap on cached negative answers, seconds (the operators once lost their own domain to a cached NXDOMAIN). */
    cacheMaxNegativeTtlS: z.number().int().min(0).max(3600),
    cacheMaxTtlS: z.number().int().min(60),
    /** Alarm when SERVFAIL answers exceed this percentage of a resolver's queries for 3 of 5 minutes. */
    servfailAlarmPercent: z.number().gt(0).max(100, 'must be a percentage between 0 and 100, e.g. 5').default(5),
    /** Below this many queries per minute a resolver's SERVFAIL ratio is noise and does not alarm. */
    servfailAlarmMinQueries: z.number().int().min(1).default(50),
  })
  .superRefine((cfg, ctx) => {
    const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    // count's own rule reports 0 or fractions; the rules below need a sane count.
    if (Number.isInteger(cfg.count) && cfg.count >= 1) {
      if (cfg.count < 2) fail(['count'], 'is 1; run at least 2 resolvers in different AZs so hosts keep resolving while one is replaced');
      if (cfg.count > MAX_RESOLVERS) {
        fail(['count'], `is ${cfg.count}; at most ${MAX_RESOLVERS} fit a DHCP options set beside the AmazonProvidedDNS fallback (glibc reads only 3)`);
      }
      if (cfg.addresses.length !== cfg.count) {
        fail(['addresses'], `lists ${cfg.addresses.length} address(es) for ${cfg.count} resolvers; list one fixed address per resolver`);
      }
    }
    cfg.addresses.forEach((address, i) => {
      if (cfg.addresses.indexOf(address) !== i) fail(['addresses', i], `${address} is listed twice; give each resolver its own address`);
    });
    cfg.internalZones.forEach((zone, i) => {
      if (cfg.internalZones.findIndex((z2) => z2.name === zone.name) !== i) fail(['internalZones', i, 'name'], `${zone.name} is listed twice; merge its servers into one entry`);
    });
    if (cfg.cacheMaxNegativeTtlS > cfg.cacheMaxTtlS) {
      fail(['cacheMaxNegativeTtlS'], `(${cfg.cacheMaxNegativeTtlS}) exceeds cacheMaxTtlS (${cfg.cacheMaxTtlS}); negative answers must not outlive positive ones`);
    }
  });
export type ResolversConfig = z.infer<typeof resolversSchema>;

/** Rules that need other sections; called from the environment schema's superRefine. */
export function checkResolversAgainstEnvironment(
  cfg: { tier: 'staging' | 'production'; resolvers: ResolversConfig; availabilityZones: readonly string[]; network: { vpcCidr: string } },
  fail: (path: (string | number)[], message: string) => void,
): void {
  const { resolvers } = cfg;
  // Too few AZs for the tier is reported (once) by the environment's own AZ rule.
  const enoughAzs = cfg.availabilityZones.length >= (cfg.tier === 'production' ? 3 : 2);
  if (enoughAzs && Number.isInteger(resolvers.count) && resolvers.count > cfg.availabilityZones.length && resolvers.count <= MAX_RESOLVERS) {
    fail(['resolvers', 'count'], `is ${resolvers.count} but there are only ${cfg.availabilityZones.length} AZs; run at most one resolver per AZ`);
  }
  // Whether each address is usable in its AZ's private subnet is checked once the VPC plan is known
  // (environment-checks.ts).
}
