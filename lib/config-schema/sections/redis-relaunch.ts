import { z } from 'zod';

/** An image as config names it (the same shape as `redis.ami`). */
const amiSchema = z.strictObject({
  id: z.string().regex(/^ami-[0-9a-f]{8,17}$/, 'must be an AMI id such as "ami-0123456789abcdef0"'),
  architecture: z.enum(['arm64', 'x86_64']),
  name: z.string().min(1),
});

/**
 * Relaunching one node role of every shard: the path by which a new image (or anything else only a new
 * instance takes) reaches running pairs. Each node keeps its fixed-address ENI, so CloudFormation can
 * never replace a node in one step (the new instance could not take the ENI the old one holds). Instead,
 * one deploy per stage, one role at a time:
 * - `unprotect`: production's termination protection off for that role (no interruption);
 * - `remove`: that role's instances are deleted; ENIs, addresses, routes stay and the other role serves alone;
 * - `launch`: that role is launched again on `ami` and syncs from the master.
 * `ami` and `volumeGiB` are the relaunched role's image and root volume size (its current ones until
 * `launch`; default `redis.ami`, `redis.volumeGiB`); the `redis` values stay the other role's. See
 * docs/deploying-host-changes.md#a-new-ami.
 */
export const redisRelaunchSchema = z.strictObject({
  role: z.enum(['a', 'b']),
  stage: z.enum(['unprotect', 'remove', 'launch']),
  ami: amiSchema.optional(),
  volumeGiB: z.number().int().min(8).max(16384, 'must be at most 16384 GiB (16 TiB, the gp3 volume limit)').optional(),
});
export type RedisRelaunch = z.infer<typeof redisRelaunchSchema>;
