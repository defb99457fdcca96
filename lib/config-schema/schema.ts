import { z } from 'zod';
import { documentationOnly } from './documentation-only';
import { alarmsSchema } from './sections/alarms';
import { servicesSchema } from './sections/services';
import { batchSchema } from './sections/batch';
import { ciSchema } from './sections/ci';
import { checkDatabaseAgainstEnvironment, databaseSchema } from './sections/database';
import { edgeSchema } from './sections/edge';
import { checkNetworkAgainstEnvironment, networkSchema } from './sections/network';
import { redisSchema } from './sections/redis';
import { checkResolversAgainstEnvironment, resolversSchema } from './sections/resolvers';
import { tsdbSchema } from './sections/tsdb';
import { cidrsOverlap, logRetentionDays, region } from './primitives';

export const envConfigSchema = z
  .strictObject({
    /** Short environment name used in stack names: <service>-<name>-<part>. */
    name: z.string().regex(/^[a-z][a-z0-9]{1,15}$/, 'must be lower-case letters and digits, e.g. "staging"'),
    /** Production-tier environments must be protected and highly available (checked below). */
    tier: documentationOnly(z.enum(['staging', 'production']), 'selects the validation rules (production demands protection and redundancy); nothing is deployed from it'),
    account: z.string().regex(/^\d{12}$/, 'must be the 12-digit AWS account id, e.g. "123456789012"'),
    region,
    availabilityZones: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'must be AZ names such as "ap-northeast-1a"')),
    /** Stateful resources survive stack deletion (RETAIN) instead of being destroyed. */
    retainData: z.boolean(),
    /** CloudFormation termination protection on every stack. */
    terminationProtection: z.boolean(),
    /** Deletion protection on the NLB and the database; termination protection on stateful instances. */
    deletionProtection: z.boolean(),
    /** Default retention of log groups. */
    logRetentionDays,
    network: networkSchema,
    edge: edgeSchema,
    alarms: alarmsSchema,
    services: servicesSchema,
    database: databaseSchema,
    redis: redisSchema,
    resolvers: resolversSchema,
    tsdb: tsdbSchema,
    batch: batchSchema,
    ci: ciSchema,
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const production = cfg.tier === 'production';
    const minAzs = production ? 3 : 2;
    if (cfg.availabilityZones.length < minAzs) {
      fail(['availabilityZones'], `lists ${cfg.availabilityZones.length} AZ(s); a ${cfg.tier} environment needs at least ${minAzs} so it survives the loss of one`);
    }
    if (new Set(cfg.availabilityZones).size !== cfg.availabilityZones.length) {
      fail(['availabilityZones'], 'lists an AZ twice; list each AZ once');
    }
    cfg.availabilityZones.forEach((az, i) => {
      if (!az.startsWith(cfg.region)) fail(['availabilityZones', i], `"${az}" is not in region ${cfg.region}; use ${cfg.region}a, ${cfg.region}c, ...`);
    });
    // TLS ends at the NLB in every environment (staging tests the same path as production).
    if (!cfg.edge.certificateArn) fail(['edge', 'certificateArn'], `is required in ${cfg.tier}: set it to the ACM certificate ARN for the TLS listener`);
    if (production) {
      for (const key of ['retainData', 'terminationProtection', 'deletionProtection'] as const) {
        if (!cfg[key]) fail([key], `must be true in production so a mistaken deploy or delete cannot destroy data; set ${key}: true`);
      }
    }
    if (cfg.network.natGateways > cfg.availabilityZones.length) {
      fail(['network', 'natGateways'], `is ${cfg.network.natGateways} but there are only ${cfg.availabilityZones.length} AZs; use at most one per AZ`);
    }
    if (cidrsOverlap(cfg.redis.vipCidr, cfg.network.vpcCidr)) {
      fail(['redis', 'vipCidr'], `${cfg.redis.vipCidr} overlaps the VPC CIDR ${cfg.network.vpcCidr}; pick a range outside the VPC (e.g. 192.168.255.0/24) so the VIP routes can steer it`);
    }
    for (const [field, svc] of [['api', cfg.services.api], ['web', cfg.services.web]] as const) {
      if (svc.minCount > svc.maxCount) fail(['services', field, 'minCount'], `(${svc.minCount}) exceeds maxCount (${svc.maxCount}); lower minCount or raise maxCount`);
      if (svc.desiredCount < svc.minCount || svc.desiredCount > svc.maxCount) {
        fail(['services', field, 'desiredCount'], `(${svc.desiredCount}) must lie between minCount and maxCount`);
      }
    }
    if (cfg.database.maxAllocatedStorageGiB < cfg.database.allocatedStorageGiB) {
      fail(['database', 'maxAllocatedStorageGiB'], 'must be at least allocatedStorageGiB');
    }
    if (production && cfg.tsdb.stream.retentionHours < 168) {
      fail(['tsdb', 'stream', 'retentionHours'], 'must be at least 168 (7 days) in production so a lost Redis shard can be rebuilt by replay');
    }
    checkResolversAgainstEnvironment(cfg, fail);
    checkNetworkAgainstEnvironment(cfg, fail);
    checkDatabaseAgainstEnvironment(cfg, fail);
  });

/** What an environment file declares (defaults not yet applied). */
export type EnvConfigInput = z.input<typeof envConfigSchema>;
/** A validated environment. */
export type EnvConfig = z.output<typeof envConfigSchema>;
