import { z } from 'zod';

/**
 * Relaunching one node role of every shard, the path by which a new `redis.ami` (or anything else only a
 * new instance takes) reaches running pairs: each node keeps its fixed-address ENI, so CloudFormation can
 * never replace an instance in one step (the new one could not take the ENI the old one holds). Instead:
 * `unprotect` (production: termination protection off, no interruption), `remove` (the role's instances
 * are deleted; ENIs, addresses, routes stay; the other role serves alone), then delete this setting and
 * the role is launched again on the current image and syncs from the master. One role per deploy, by
 * construction; the other role afterwards. See docs/deploying-host-changes.md#a-new-ami.
 */
export const redisRelaunchSchema = z.strictObject({
  role: z.enum(['a', 'b']),
  stage: z.enum(['unprotect', 'remove']),
});
export type RedisRelaunch = z.infer<typeof redisRelaunchSchema>;
